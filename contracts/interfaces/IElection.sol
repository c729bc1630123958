// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGroth16Verifier} from "./IGroth16Verifier.sol";

/// @title One Veche election: per-district registers of anonymous voters, their zero-knowledge
/// ballots, appeals against districts, and the hash of the final result.
/// @notice The election runs through fixed phases (see {Phase}). During registration, authorised
/// registrars add voters' identity commitments to their district's register (a LeanIMT Merkle
/// tree), each within the quota the organizer gave it for that district and each with a dedup
/// tag (a threshold-OPRF value of the person's attributes) that may be used once, whichever
/// registrar sends it. During voting anyone (usually a relayer) submits a voter's ballot with a Groth16 proof
/// that the voter's commitment is in that district's register. The proof's nullifier identifies
/// the voter within this election without revealing who they are: a later ballot with the same
/// nullifier and a higher revision replaces the earlier one. During appeals the organizer may
/// exclude a district's ballots (with a reason and the hash of the evidence) and undo that; once
/// appeals are over the organizer publishes the hash of the result record, once.
/// @dev Encodings (scope, message, proof packing) are fixed in docs/PROTOCOL.md. Every window is
/// half-open, `[start, end)`, in block timestamps. Option labels, seats and the seat method live
/// in the election definition file, whose keccak256 is {definitionHash}.
interface IElection {
    /// @notice Where the election stands; each phase starts at the first second of its window.
    enum Phase {
        /// @notice Before `registrationStart`: the organizer may change registrars.
        Setup,
        /// @notice `[registrationStart, registrationEnd)`: registrars add members.
        Registration,
        /// @notice `[registrationEnd, votingStart)`: every register is frozen, voting not open.
        Waiting,
        /// @notice `[votingStart, votingEnd)`: ballots are accepted.
        Voting,
        /// @notice `[votingEnd, appealsEnd)`: the organizer may exclude and restore districts.
        Appeals,
        /// @notice From `appealsEnd` on: the organizer may publish the result hash, once.
        Final
    }

    /// @notice The public calendar of the election, in Unix seconds.
    /// @dev Strictly ordered: `registrationStart < registrationEnd <= votingStart < votingEnd <
    /// appealsEnd`, so every register is frozen before the first ballot and every proof is made
    /// against its district's final root.
    struct Calendar {
        /// @notice First second at which registrars may add members.
        uint64 registrationStart;
        /// @notice First second at which the registers are closed.
        uint64 registrationEnd;
        /// @notice First second at which ballots are accepted.
        uint64 votingStart;
        /// @notice First second at which ballots are refused and appeals open.
        uint64 votingEnd;
        /// @notice First second at which appeals are closed and the result may be published.
        uint64 appealsEnd;
    }

    /// @notice What the deployer fixes for one district; labels live in the definition file.
    struct DistrictConfig {
        /// @notice The number of options (lists) on the district's ballot, at least 1.
        uint32 optionCount;
        /// @notice Voting never opens in the district while its register holds fewer members
        /// (at least 1): a tiny district would make its voters easy to identify.
        uint32 minimumMembers;
    }

    /// @notice The right of one registrar to add members to one district's register.
    struct RegistrarGrant {
        /// @notice The registrar's account.
        address registrar;
        /// @notice The district (0-based).
        uint32 district;
        /// @notice The most members the registrar may add to the district, in total.
        uint32 quota;
    }

    /// @notice One registrar's quota in one district and how much of it is used (public, so
    /// that anyone can see who registered how many voters where).
    struct QuotaState {
        /// @notice The most members the registrar may add to the district (0: none).
        uint32 quota;
        /// @notice The members the registrar has added to the district.
        uint32 used;
    }

    /// @notice Whether an account was ever authorised as a registrar, and whether it is
    /// suspended now.
    struct RegistrarState {
        /// @notice The organizer authorised it (in at least one district).
        bool authorized;
        /// @notice The organizer suspended it: it may add no members until reinstated.
        bool suspended;
    }

    /// @notice What the contract keeps of one registered person, under their dedup tag: where
    /// their leaf is, so that a replacement finds it (one storage slot).
    struct Person {
        /// @notice The tag was used (the person is registered).
        bool registered;
        /// @notice The district whose register holds the person's leaf.
        uint32 district;
        /// @notice The leaf's position in that register (0-based).
        uint32 index;
        /// @notice How many times the person's commitment was replaced: the next replacement's
        /// approvals must sign this number, so that no approval is ever used twice.
        uint32 replacements;
    }

    /// @notice One district as it stands now.
    struct DistrictState {
        /// @notice The number of options on the district's ballot.
        uint32 optionCount;
        /// @notice The smallest register in which voting opens.
        uint32 minimumMembers;
        /// @notice Members in the district's register.
        uint32 memberCount;
        /// @notice Whether the organizer has excluded the district's ballots on appeal.
        bool excluded;
        /// @notice The register's current Merkle root (0 while it is empty).
        uint256 merkleRoot;
    }

    /// @notice One ballot of a batch: the arguments of {castBallot}.
    struct BallotInput {
        /// @notice The district the ballot counts in.
        uint32 district;
        /// @notice Index of the chosen option.
        uint32 choice;
        /// @notice The ballot's revision: the stored one plus one.
        uint32 revision;
        /// @notice The district register's root the proof was made against.
        uint256 merkleRoot;
        /// @notice The voter's nullifier in this election.
        uint256 nullifier;
        /// @notice The Groth16 proof, packed as in docs/PROTOCOL.md.
        uint256[8] proof;
    }

    /// @notice The ballot currently counted for one nullifier (one voter).
    struct Ballot {
        /// @notice The district whose register the ballot's proof was made against.
        uint32 district;
        /// @notice Index of the chosen option, below the district's option count.
        uint32 choice;
        /// @notice Revision of this ballot; 0 means no ballot.
        uint32 revision;
        /// @notice Timestamp of the block that accepted this ballot.
        uint64 castAt;
    }

    /// @notice The organizer set a registrar's quota in a district (a first authorisation, a
    /// raise, or a cut down to what is already used).
    /// @param registrar The registrar's account.
    /// @param district The district.
    /// @param quota The most members the registrar may now add to the district, in total.
    event RegistrarAuthorized(address indexed registrar, uint32 indexed district, uint32 quota);

    /// @notice The organizer suspended a registrar: it may add no members until reinstated; the
    /// members it added stay.
    /// @param registrar The suspended account.
    /// @param reason Why, in words anyone can read.
    event RegistrarSuspended(address indexed registrar, string reason);

    /// @notice The organizer lifted a registrar's suspension.
    /// @param registrar The reinstated account.
    /// @param reason Why, in words anyone can read.
    event RegistrarReinstated(address indexed registrar, string reason);

    /// @notice A commitment was appended to a district's register.
    /// @dev Members of one `addMembers` batch share one `merkleRoot`: the root once the whole
    /// batch is in. Computing the root after every member would cost up to 20 extra Poseidon
    /// hashes per member, and a recount needs only the final root.
    /// @param district The district whose register grew.
    /// @param index Position of the member in that register (0-based, the LeanIMT leaf index).
    /// @param commitment The voter's identity commitment.
    /// @param tag The person's dedup tag (a threshold-OPRF value of their normalized attributes,
    /// computable only with a quorum of dedup authorities; see docs/PROTOCOL.md).
    /// @param merkleRoot The register's root after the batch that added this member.
    /// @param registrar The registrar that added the member.
    event MemberAdded(
        uint32 indexed district,
        uint256 indexed index,
        uint256 commitment,
        bytes32 tag,
        uint256 merkleRoot,
        address indexed registrar
    );

    /// @notice A person's commitment was replaced during registration (a lost key), with the
    /// approval of {recoveryApprovals} registrars. The leaf at `index` is now `newCommitment`;
    /// the old key can no longer vote. A voter's page that finds its own commitment as
    /// `oldCommitment` must warn its holder.
    /// @param district The district whose register changed.
    /// @param index The replaced leaf's position.
    /// @param oldCommitment The commitment that was there.
    /// @param newCommitment The commitment there now.
    /// @param tag The person's dedup tag (the one of the leaf's {MemberAdded}).
    /// @param merkleRoot The register's root after the replacement.
    /// @param approvers The registrars that approved it, in increasing address order.
    event MemberReplaced(
        uint32 indexed district,
        uint256 indexed index,
        uint256 oldCommitment,
        uint256 newCommitment,
        bytes32 tag,
        uint256 merkleRoot,
        address[] approvers
    );

    /// @notice A ballot was accepted; it replaces any earlier ballot with the same nullifier.
    /// @dev The proof is logged so that anyone can re-verify every counted ballot from the logs.
    /// @param nullifier The voter's nullifier in this election.
    /// @param district The district the ballot counts in (bound into the proof's message).
    /// @param choice Index of the chosen option.
    /// @param revision Revision of the ballot: the earlier one for this nullifier plus one.
    /// @param merkleRoot The district register's root the proof was made against.
    /// @param proof The Groth16 proof, packed as in docs/PROTOCOL.md.
    event BallotCast(
        uint256 indexed nullifier,
        uint32 indexed district,
        uint32 choice,
        uint32 revision,
        uint256 merkleRoot,
        uint256[8] proof
    );

    /// @notice A ballot of a batch was not recorded because its nullifier already has this
    /// revision or a later one (an identical copy landed first, or the batch holds it twice).
    /// @dev Skipping rather than reverting means nobody can take a whole batch down by copying
    /// one of its ballots into an earlier transaction.
    /// @param nullifier The voter's nullifier.
    /// @param revision The skipped ballot's revision.
    /// @param storedRevision The revision already counted.
    event BallotSkipped(uint256 indexed nullifier, uint32 revision, uint32 storedRevision);

    /// @notice The organizer excluded a district's ballots from the count on appeal.
    /// @param district The excluded district.
    /// @param reason Why, in words anyone can read.
    /// @param evidenceHash The hash of the published evidence.
    event DistrictExcluded(uint32 indexed district, string reason, bytes32 evidenceHash);

    /// @notice The organizer undid a district's exclusion: its ballots count again.
    /// @param district The restored district.
    /// @param reason Why the exclusion was undone.
    event DistrictRestored(uint32 indexed district, string reason);

    /// @notice The organizer published the hash of the final result record.
    /// @param resultHash The hash anyone can compare with their own recount's record.
    event ResultPublished(bytes32 resultHash);

    /// @notice The calendar is not strictly ordered.
    error InvalidCalendar(
        uint64 registrationStart,
        uint64 registrationEnd,
        uint64 votingStart,
        uint64 votingEnd,
        uint64 appealsEnd
    );

    /// @notice An election needs between 1 and 255 districts.
    /// @param count The number of districts given.
    error InvalidDistrictCount(uint256 count);

    /// @notice A district's ballot needs at least one option.
    /// @param district The district.
    /// @param optionCount The option count given.
    error InvalidOptionCount(uint32 district, uint32 optionCount);

    /// @notice A district's minimum must be between 1 and the register's capacity.
    /// @param district The district.
    /// @param minimumMembers The minimum given.
    /// @param capacity The largest register the circuit admits.
    error InvalidMinimumMembers(uint32 district, uint32 minimumMembers, uint256 capacity);

    /// @notice The definition hash is zero: every election must publish its rules.
    error MissingDefinitionHash();

    /// @notice The organizer address is zero.
    error InvalidOrganizer(address organizer);

    /// @notice The verifier address is zero.
    error InvalidVerifier(address verifier);

    /// @notice The caller is not the organizer.
    /// @param caller The account that called.
    error NotOrganizer(address caller);

    /// @notice The caller was never authorised as a registrar.
    /// @param caller The account that called.
    error NotRegistrar(address caller);

    /// @notice The caller is a registrar, but has no quota in this district.
    /// @param registrar The account that called.
    /// @param district The district it tried to add members to.
    error NotRegistrarForDistrict(address registrar, uint32 district);

    /// @notice The caller is a suspended registrar.
    /// @param registrar The account that called.
    error SuspendedRegistrar(address registrar);

    /// @notice The batch would take the registrar beyond its quota in the district.
    /// @param registrar The account that called.
    /// @param district The district.
    /// @param used Members the registrar already added to the district.
    /// @param batchSize Members in the refused batch.
    /// @param quota The registrar's quota in the district.
    error QuotaExceeded(
        address registrar,
        uint32 district,
        uint32 used,
        uint256 batchSize,
        uint32 quota
    );

    /// @notice A quota cannot be cut below what the registrar has already used.
    /// @param registrar The registrar.
    /// @param district The district.
    /// @param quota The quota given.
    /// @param used Members the registrar already added to the district.
    error QuotaBelowUsed(address registrar, uint32 district, uint32 quota, uint32 used);

    /// @notice An authorisation lists a different number of districts and quotas.
    /// @param districts The number of districts given.
    /// @param quotas The number of quotas given.
    error QuotaCountMismatch(uint256 districts, uint256 quotas);

    /// @notice An authorisation must name at least one district.
    /// @param registrar The registrar of the empty authorisation.
    error NoDistrictsGiven(address registrar);

    /// @notice The zero address cannot be a registrar.
    error InvalidRegistrar(address registrar);

    /// @notice The account was never authorised as a registrar, so it cannot be suspended or
    /// reinstated.
    error RegistrarNotAuthorized(address registrar);

    /// @notice The registrar is already suspended.
    error RegistrarAlreadySuspended(address registrar);

    /// @notice The registrar is not suspended, so it cannot be reinstated.
    error RegistrarNotSuspended(address registrar);

    /// @notice Registrars can only be changed before the registration window ends.
    /// @param now The current block timestamp.
    /// @param registrationEnd The end of the registration window.
    error RegistrarChangesClosed(uint64 now, uint64 registrationEnd);

    /// @notice The registration window is not open.
    /// @param now The current block timestamp.
    /// @param start The first second of the window.
    /// @param end The first second after the window.
    error RegistrationClosed(uint64 now, uint64 start, uint64 end);

    /// @notice No district has this number.
    /// @param district The district given.
    /// @param districtCount The number of districts (valid districts are below it).
    error UnknownDistrict(uint32 district, uint32 districtCount);

    /// @notice `addMembers` was called with no commitments.
    error EmptyBatch();

    /// @notice `addMembers` was given a different number of commitments and tags.
    /// @param commitments The number of commitments.
    /// @param tags The number of tags.
    error TagCountMismatch(uint256 commitments, uint256 tags);

    /// @notice A member was given the zero tag: every registration must carry a person's tag.
    /// @param commitment The commitment registered without a tag.
    error MissingTag(uint256 commitment);

    /// @notice The person's dedup tag is already registered (by any registrar, in any district,
    /// or earlier in the same batch): one person, one registration.
    /// @param tag The repeated tag.
    error DuplicatePerson(bytes32 tag);

    /// @notice The batch would take the district's register beyond the circuit's capacity.
    /// @param district The district.
    /// @param memberCount Members already in the register.
    /// @param batchSize Members in the refused batch.
    /// @param capacity The largest register the circuit admits.
    error RegisterFull(uint32 district, uint256 memberCount, uint256 batchSize, uint256 capacity);

    /// @notice A commitment is zero or not a BN254 scalar field element.
    error InvalidCommitment(uint256 commitment);

    /// @notice The recovery threshold must be 0 (no recovery) or at least 2 registrars.
    error InvalidRecoveryApprovals(uint32 recoveryApprovals);

    /// @notice This election was deployed without recovery ({recoveryApprovals} is 0).
    error RecoveryDisabled();

    /// @notice No person is registered under this dedup tag, so there is nothing to replace.
    error UnknownPerson(bytes32 tag);

    /// @notice A replacement must change the commitment.
    error SameCommitment(uint256 commitment);

    /// @notice A replacement carries fewer approvals than the election requires.
    /// @param given The approvals given.
    /// @param required {recoveryApprovals}.
    error TooFewApprovals(uint256 given, uint32 required);

    /// @notice An approval is not a 65-byte `r || s || v` signature with v 27 or 28 and a low
    /// `s`, or recovers no signer.
    /// @param position The approval's position (0-based).
    error InvalidApproval(uint256 position);

    /// @notice Approvals must come from distinct registrars, in strictly increasing address
    /// order (an approval repeated, or signed for another replacement, breaks the order or names
    /// a signer that is no registrar).
    /// @param position The approval's position.
    /// @param signer The address it recovers.
    /// @param previous The address the approval before it recovers.
    error ApprovalsNotOrdered(uint256 position, address signer, address previous);

    /// @notice An approval's signer was never authorised as a registrar (or it signed something
    /// else than this replacement, which recovers an unrelated address).
    /// @param position The approval's position.
    /// @param signer The address it recovers.
    error ApprovalNotFromRegistrar(uint256 position, address signer);

    /// @notice An approval's signer is a suspended registrar.
    /// @param position The approval's position.
    /// @param signer The registrar.
    error ApprovalFromSuspendedRegistrar(uint256 position, address signer);

    /// @notice The voting window is not open.
    /// @param now The current block timestamp.
    /// @param start The first second of the window.
    /// @param end The first second after the window.
    error VotingClosed(uint64 now, uint64 start, uint64 end);

    /// @notice Voting never opens in a district with fewer members than its minimum.
    /// @param district The district.
    /// @param memberCount Members in its register.
    /// @param minimumMembers The district's minimum.
    error DistrictBelowMinimum(uint32 district, uint32 memberCount, uint32 minimumMembers);

    /// @notice The choice is not the index of an option of the district's ballot.
    /// @param district The district.
    /// @param choice The choice given.
    /// @param optionCount The number of options in the district.
    error UnknownChoice(uint32 district, uint32 choice, uint32 optionCount);

    /// @notice The proof's Merkle root is not the district register's root.
    /// @param district The district.
    /// @param given The root the ballot claims.
    /// @param expected The district register's root.
    error RootMismatch(uint32 district, uint256 given, uint256 expected);

    /// @notice The ballot's revision does not exceed the stored one (revision 0 never does).
    /// @param nullifier The voter's nullifier.
    /// @param given The ballot's revision.
    /// @param stored The revision of the ballot currently counted (0 if none).
    error StaleRevision(uint256 nullifier, uint32 given, uint32 stored);

    /// @notice The ballot's revision skips ahead: a ballot must carry exactly the stored
    /// revision plus one, so that no ballot can ever be the last word (see docs/PROTOCOL.md).
    /// @param nullifier The voter's nullifier.
    /// @param given The ballot's revision.
    /// @param expected The only revision accepted now: the stored one plus one.
    error RevisionGap(uint256 nullifier, uint32 given, uint32 expected);

    /// @notice A batch holds more ballots than {castBallots} takes at once.
    /// @param count The ballots in the batch.
    /// @param maximum The most ballots a batch may hold.
    error BatchTooLarge(uint256 count, uint256 maximum);

    /// @notice The batch's proof check failed, and this ballot's proof is invalid on its own.
    /// @param index The ballot's position in the batch (0-based).
    /// @param nullifier The nullifier the ballot claims.
    error InvalidProofInBatch(uint256 index, uint256 nullifier);

    /// @notice The batch's proof check failed, and too little gas was left to find which proof
    /// is invalid (or every proof is valid and the check itself ran short of gas). Simulating
    /// the batch with more gas names the invalid proof ({InvalidProofInBatch}).
    /// @param count The ballots whose proofs were checked.
    error BatchCheckFailed(uint256 count);

    /// @notice The verifier rejected the proof.
    /// @param nullifier The nullifier the ballot claims.
    error InvalidProof(uint256 nullifier);

    /// @notice The appeals window is not open.
    /// @param now The current block timestamp.
    /// @param start The first second of the window (`votingEnd`).
    /// @param end The first second after the window (`appealsEnd`).
    error AppealsClosed(uint64 now, uint64 start, uint64 end);

    /// @notice An exclusion or restoration must say why.
    error EmptyReason();

    /// @notice An exclusion must name its evidence by a non-zero hash.
    /// @param district The district the exclusion was for.
    error MissingEvidence(uint32 district);

    /// @notice The district is already excluded.
    error DistrictAlreadyExcluded(uint32 district);

    /// @notice The district is not excluded, so it cannot be restored.
    error DistrictNotExcluded(uint32 district);

    /// @notice The result may only be published once appeals are over.
    /// @param now The current block timestamp.
    /// @param appealsEnd The first second at which it may be published.
    error ResultNotYetAllowed(uint64 now, uint64 appealsEnd);

    /// @notice A zero result hash publishes nothing.
    error MissingResultHash();

    /// @notice The result was already published; it never changes.
    /// @param published The hash published earlier.
    error ResultAlreadyPublished(bytes32 published);

    /// @notice Sets `registrar`'s quota in each of `districts` (authorising it if it was not
    /// yet a registrar); a quota of 0 takes a district away, a quota can never go below what is
    /// already used.
    /// @dev Organizer only, before `registrationEnd`. Emits one {RegistrarAuthorized} per
    /// district. Does not lift a suspension.
    /// @param registrar The account to authorise.
    /// @param districts The districts (0-based), at least one.
    /// @param quotas The quota in each district, in the same order.
    function authorizeRegistrar(
        address registrar,
        uint32[] calldata districts,
        uint32[] calldata quotas
    ) external;

    /// @notice Stops `registrar` from adding members until reinstated; members it added stay.
    /// @dev Organizer only, before `registrationEnd`. Emits {RegistrarSuspended}.
    /// @param registrar The registrar to suspend.
    /// @param reason Why (not empty).
    function suspendRegistrar(address registrar, string calldata reason) external;

    /// @notice Lets a suspended registrar add members again, within its quotas.
    /// @dev Organizer only, before `registrationEnd`. Emits {RegistrarReinstated}.
    /// @param registrar The suspended registrar.
    /// @param reason Why (not empty).
    function reinstateRegistrar(address registrar, string calldata reason) external;

    /// @notice Appends identity commitments to `district`'s register, each with its person's
    /// dedup tag.
    /// @dev Authorised, unsuspended registrars only, during the registration window, within
    /// their quota in the district. Emits one {MemberAdded} per commitment, in register order.
    /// Refuses the whole batch if any commitment is zero or not below the field order, or if
    /// any tag is zero, already used, or repeated in the batch. A commitment already registered
    /// is accepted: its identity still has one nullifier, hence one vote (docs/PROTOCOL.md).
    /// @param district The district (0-based, below {districtCount}).
    /// @param commitments The commitments to append, in order.
    /// @param tags The dedup tag of each commitment's person, in the same order.
    function addMembers(
        uint32 district,
        uint256[] calldata commitments,
        bytes32[] calldata tags
    ) external;

    /// @notice Replaces the commitment of the person registered under `tag` (who lost their
    /// key) by `newCommitment`, with the approval of {recoveryApprovals} registrars.
    /// @dev Anyone may send it; only the approvals count. During the registration window only
    /// ({RegistrationClosed}); the leaf is the one the tag's record names ({person}), and
    /// `siblings` is its Merkle path (as `generateProof` lists it) that must lead from
    /// `oldCommitment` to the current root (`WrongSiblingPath`). Each approval is an EIP-712
    /// signature (domain "Veche Election", version "1", this chain and contract) of
    /// `Replacement(bytes32 tag,uint256 oldCommitment,uint256 newCommitment,uint32
    /// replacements)`, `replacements` being the tag's count so far ({replacementDigest}), by an
    /// authorised, unsuspended registrar, in strictly increasing signer order. Counts one
    /// approved replacement per signer ({replacementsApproved}) and emits {MemberReplaced}.
    /// Quotas are not used: no member is added.
    /// @param tag The person's dedup tag.
    /// @param oldCommitment The commitment now in the person's leaf.
    /// @param newCommitment The commitment of the person's new key.
    /// @param siblings The leaf's Merkle path in the current register.
    /// @param approvals The registrars' signatures, 65 bytes each.
    function replaceMember(
        bytes32 tag,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings,
        bytes[] calldata approvals
    ) external;

    /// @notice Submits a voter's ballot in `district`; anyone may relay it.
    /// @dev Checks, in this order: the voting window, the district exists, the district has at
    /// least its minimum of members, `choice` is one of its options, `merkleRoot` equals its
    /// register's root, `revision` is exactly the stored one for `nullifier` plus one, the proof (whose
    /// message binds district, revision and choice). Then stores the ballot and emits
    /// {BallotCast}.
    /// @param district The district the ballot counts in.
    /// @param merkleRoot The district register's root the proof was made against.
    /// @param nullifier The voter's nullifier in this election.
    /// @param choice Index of the chosen option.
    /// @param revision The ballot's revision, starting at 1.
    /// @param proof The Groth16 proof, packed as in docs/PROTOCOL.md.
    function castBallot(
        uint32 district,
        uint256 merkleRoot,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) external;

    /// @notice Submits a batch of ballots, with one check for all their proofs.
    /// @dev Checks the voting window once, then each ballot in order as {castBallot} does
    /// (district, minimum, choice, root, revision), records it and emits {BallotCast}; a
    /// ballot whose nullifier already has its revision or a later one (counted earlier or
    /// earlier in the batch) is skipped with {BallotSkipped}. Then every recorded ballot's proof
    /// is checked with one pairing-product check ({IGroth16Verifier-verifyBatch}); if it fails
    /// the whole batch reverts with {InvalidProofInBatch} naming the first invalid proof.
    /// At most {MAX_BALLOTS_PER_BATCH} ballots, and not none ({EmptyBatch}).
    /// @param ballots The ballots, in the order they are to be recorded.
    function castBallots(BallotInput[] calldata ballots) external;

    /// @notice Excludes `district`'s ballots from the count, after proven fraud.
    /// @dev Organizer only, during appeals. Emits {DistrictExcluded}.
    /// @param district The district to exclude.
    /// @param reason Why, in words anyone can read (not empty).
    /// @param evidenceHash The hash of the published evidence (not zero).
    function excludeDistrict(uint32 district, string calldata reason, bytes32 evidenceHash) external;

    /// @notice Undoes `district`'s exclusion: its ballots count again.
    /// @dev Organizer only, during appeals. Emits {DistrictRestored}.
    /// @param district The excluded district.
    /// @param reason Why the exclusion is undone (not empty).
    function restoreDistrict(uint32 district, string calldata reason) external;

    /// @notice Publishes the hash of the final result record.
    /// @dev Organizer only, once appeals are over, once. Emits {ResultPublished}.
    /// @param resultHash The record's hash (not zero).
    function publishResult(bytes32 resultHash) external;

    /// @notice The account that manages registrars, appeals and the result (it may be a
    /// multisig that never deployed anything).
    function organizer() external view returns (address);

    /// @notice The Groth16 verifier of ballot proofs.
    function verifier() external view returns (IGroth16Verifier);

    /// @notice The election's calendar.
    function calendar() external view returns (Calendar memory);

    /// @notice The phase at the current block's timestamp.
    function phase() external view returns (Phase);

    /// @notice keccak256 of the canonical election definition (districts, lists, seats, seat
    /// method, calendar): the rules everyone counts under.
    function definitionHash() external view returns (bytes32);

    /// @notice The number of districts; districts are numbered from 0.
    function districtCount() external view returns (uint32);

    /// @notice `district`'s configuration, register and exclusion.
    /// @dev Not named `district`, which would be shadowed by every parameter of that name.
    function districtState(uint32 district) external view returns (DistrictState memory);

    /// @notice `district`'s register root (0 while it is empty).
    function merkleRoot(uint32 district) external view returns (uint256);

    /// @notice The number of members in `district`'s register.
    function memberCount(uint32 district) external view returns (uint256);

    /// @notice The number of members in all registers.
    function totalMembers() external view returns (uint256);

    /// @notice Whether `district`'s ballots are excluded on appeal.
    function isExcluded(uint32 district) external view returns (bool);

    /// @notice `uint256(keccak256(abi.encode(chainId, address(this))))`, with the chain id of
    /// deployment.
    function scope() external view returns (uint256);

    /// @notice The circuit's public scope signal: `H(scope())`.
    function scopeSignal() external view returns (uint256);

    /// @notice Whether `account` may add members now: authorised and not suspended (its
    /// quotas and the window still apply).
    function isRegistrar(address account) external view returns (bool);

    /// @notice Whether `registrar` was ever authorised, and whether it is suspended.
    function registrarState(address registrar) external view returns (RegistrarState memory);

    /// @notice `registrar`'s quota in `district` and how much of it is used.
    function registrarQuota(
        address registrar,
        uint32 district
    ) external view returns (QuotaState memory);

    /// @notice Whether a person with this dedup tag is registered already.
    /// @dev Tells nothing the logs do not: every tag is in its {MemberAdded} event.
    function tagUsed(bytes32 tag) external view returns (bool);

    /// @notice What the contract keeps of the person registered under `tag` (all zero if none).
    function person(bytes32 tag) external view returns (Person memory);

    /// @notice The registrars that must approve a replacement (0: this election has no
    /// recovery).
    function recoveryApprovals() external view returns (uint32);

    /// @notice The replacements `registrar` approved (public, for observers to compare).
    function replacementsApproved(address registrar) external view returns (uint256);

    /// @notice The EIP-712 digest a registrar signs to approve replacing `oldCommitment` by
    /// `newCommitment` for the person under `tag`, when that person's commitment has been
    /// replaced `replacements` times.
    function replacementDigest(
        bytes32 tag,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint32 replacements
    ) external view returns (bytes32);

    /// @notice The ballot currently counted for `nullifier` (all zero if none).
    function ballotOf(uint256 nullifier) external view returns (Ballot memory);

    /// @notice The most ballots {castBallots} takes in one transaction.
    function MAX_BALLOTS_PER_BATCH() external view returns (uint256);

    /// @notice The number of distinct nullifiers that have cast a ballot.
    function ballotCount() external view returns (uint256);

    /// @notice The published result hash (zero until published).
    function resultHash() external view returns (bytes32);
}

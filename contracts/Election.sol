// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IElection} from "./interfaces/IElection.sol";
import {IEncryptedBallots} from "./interfaces/IEncryptedBallots.sol";
import {IGroth16Verifier} from "./interfaces/IGroth16Verifier.sol";
import {IRecordedBallots} from "./interfaces/IRecordedBallots.sol";
import {BallotEncoding} from "./libraries/BallotEncoding.sol";
import {RegisterTree} from "./libraries/RegisterTree.sol";

/// @title A Veche election: districts with their own registers, a calendar of phases, appeals
/// against districts, and the hash of the final result.
/// @notice See {IElection}. The organizer is named at deployment and need not be the deployer
/// (it may be a multisig).
/// @dev Registrars: the organizer gives each registrar a quota per district (public, with its
/// use), may suspend and reinstate it, and every member carries a dedup tag that the contract
/// accepts once, so a person cannot be registered twice by two registrars, and a corrupt
/// registrar can add at most its quota of invented people.
///
/// Register freeze: members can only be added while `registrationStart <= now <
/// registrationEnd`, and the constructor requires `registrationEnd <= votingStart`. So no
/// register changes once voting opens: each district's root is final for the whole voting
/// window, every voter proves against that one root, and `castBallot` only needs to compare
/// with the current root (no history of roots). For the same reason the minimum-members check
/// gives the same answer for every ballot of a district.
///
/// Each register is a LeanIMT ({RegisterTree}) hashed with the linked `PoseidonT3` library: the
/// deployer must deploy `PoseidonT3` and link its address into this contract's bytecode.
///
/// Recovery: while registration is open, a person who lost their key is registered again under
/// the same dedup tag; the tag's record locates the old leaf, and `k` registrars (the immutable
/// {recoveryApprovals}) must sign the replacement (EIP-712). See docs/THREAT_MODEL.md.
contract Election is IElection, IRecordedBallots, IEncryptedBallots {
    using RegisterTree for RegisterTree.Data;

    /// @notice The largest register the ballot circuit admits (a tree of depth 20).
    uint256 public constant MAX_MEMBERS = 1 << 20;

    /// @notice The most ballots {castBallots} takes at once. A batch of this size uses about
    /// 10.6 M gas (see bench/gas.py), well under the 16,777,216 gas that EIP-7825 allows one
    /// transaction, and under the block gas limit of every chain in the README's cost table.
    uint256 public constant MAX_BALLOTS_PER_BATCH = 128;

    /// @dev Gas a batch check of k proofs needs at most: the base (of the plain or the
    /// encrypted circuit's verifier: one scalar multiplication per public signal) + k times
    /// BISECTION_GAS_PER_PROOF (a pairing pair, two scalar multiplications and some margin).
    uint256 private constant BISECTION_GAS_BASE = 260_000;
    uint256 private constant ENCRYPTED_BISECTION_GAS_BASE = 520_000;
    uint256 private constant BISECTION_GAS_PER_PROOF = 52_000;

    /// @dev Words per ballot in the verifier's batch: the packed proof, then its signals (4
    /// plain; 39 encrypted: root, nullifier, 34 ciphertext words, message, scope, options).
    uint256 private constant WORDS_PER_PROOF = 12;
    uint256 private constant WORDS_PER_ENCRYPTED_PROOF = 47;

    /// @inheritdoc IEncryptedBallots
    uint256 public constant MAX_ENCRYPTED_OPTIONS = 16;

    /// @dev An encrypted record: nullifier 32, proof 256, district 1, revision 4, ciphertext
    /// 1088 (see {IEncryptedBallots}).
    uint256 private constant ENCRYPTED_RECORD_BYTES = 1381;

    /// @dev Bytes of one option's partial decryption: `D.x | D.y | c | s`.
    uint256 private constant DECRYPTION_BYTES_PER_OPTION = 128;

    /// @notice The size of one ballot record of the recorded mode (see {IRecordedBallots}):
    /// nullifier 32, proof 256, district 1, choice 4, revision 4.
    uint256 public constant RECORD_BYTES = 297;

    /// @notice The most records {recordBallots} takes at once: a batch of 256 is about 76 KB
    /// of call data (about 3.1 M gas at EIP-7623's floor), and a challenger sends a whole
    /// batch back, so its size bounds what a challenge costs.
    uint256 public constant MAX_RECORDS_PER_BATCH = 256;

    /// @dev Gas a challenge keeps for its one proof verification (about 230,000 used, about
    /// 470,000 for an encrypted ballot's 39 signals): with less, the verifier could answer
    /// "invalid" for want of gas.
    uint256 private constant CHALLENGE_VERIFY_GAS = 400_000;
    uint256 private constant ENCRYPTED_CHALLENGE_VERIFY_GAS = 800_000;

    /// @notice The most districts an election may have.
    uint256 public constant MAX_DISTRICTS = 255;

    /// @dev EIP-712: the domain (name "Veche Election", version "1", chain id at deployment,
    /// this contract) and the approval a registrar signs for one replacement.
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
        );
    bytes32 private constant REPLACEMENT_TYPEHASH =
        keccak256(
            "Replacement(bytes32 tag,uint256 oldCommitment,uint256 newCommitment,uint32 replacements)"
        );

    /// @dev secp256k1's order divided by 2: a larger `s` is the malleable twin of a signature.
    uint256 private constant HALF_CURVE_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @dev One district: its register and what the deployer and the appeals fixed for it.
    struct DistrictData {
        RegisterTree.Data register;
        uint32 optionCount;
        uint32 minimumMembers;
        bool excluded;
    }

    /// @dev A batch of ballots being cast: the verifier's call buffer (a proof and its signals
    /// per accepted ballot), each accepted ballot's position in the batch, the districts'
    /// cache (district d's root at 2d and option count at 2d + 1 once its checks passed; root
    /// 0: not yet, an open register's root is never 0, its members being non-zero), and the
    /// counts of accepted ballots and of new voters.
    struct Batch {
        uint256[] words;
        uint256[] positions;
        uint256[] districts;
        uint256 accepted;
        uint256 newVoters;
    }

    /// @dev A registrar's rights: authorised once by the organizer, possibly suspended, and a
    /// quota (with its use) per district.
    struct RegistrarAccount {
        bool authorized;
        bool suspended;
        mapping(uint32 district => QuotaState quota) quotas;
    }

    // Everything fixed at deployment is immutable: read from code, not storage, on every ballot.
    address private immutable _organizer;
    IGroth16Verifier private immutable _verifier;
    uint64 private immutable _registrationStart;
    uint64 private immutable _registrationEnd;
    uint64 private immutable _votingStart;
    uint64 private immutable _votingEnd;
    uint64 private immutable _appealsEnd;
    uint32 private immutable _districtCount;
    bytes32 private immutable _definitionHash;
    uint256 private immutable _scope;
    uint256 private immutable _scopeSignal;
    uint32 private immutable _recoveryApprovals;
    bytes32 private immutable _domainSeparator;
    BallotMode private immutable _ballotMode;
    BallotSecrecy private immutable _ballotSecrecy;
    bytes32 private immutable _electionKeyHash;
    uint256 private immutable _wordsPerProof;
    uint256 private immutable _recordBytes;
    uint256 private immutable _decryptionBytes;
    uint256 private immutable _bisectionGasBase;
    uint256 private immutable _challengeVerifyGas;

    // Storage order matters to tests that fake a full register: district d's `register.size`
    // is at slot `keccak256(abi.encode(d, 0))`.
    mapping(uint256 district => DistrictData data) private _districts;
    mapping(address account => RegistrarAccount rights) private _registrars;
    /// @dev The dedup tag of every registered person (one person, one registration, whichever
    /// registrar sends it) and, in the same slot, where their leaf is: recovery finds it there.
    mapping(bytes32 tag => Person record) private _people;
    /// @dev Replacements each registrar approved (public: see {replacementsApproved}).
    mapping(address registrar => uint256 count) private _replacementsApproved;
    mapping(uint256 nullifier => Ballot ballot) private _ballots;
    uint256 private _ballotCount;
    bytes32 private _resultHash;
    // The recorded mode's state: relayer accounts, batches (their key => block), invalid marks.
    mapping(address relayer => RelayerStatus status) private _relayers;
    mapping(bytes32 batch => uint256 blockNumber) private _recordedBatches;
    mapping(bytes32 batchAndIndex => bool invalid) private _invalidRecords;
    /// @dev keccak256 of the ciphertext of each voter's stored encrypted ballot.
    mapping(uint256 nullifier => bytes32 ciphertextHash) private _ciphertextHashes;

    /// @notice Creates an election.
    /// @param organizer_ The account that manages registrars, appeals and the result.
    /// @param verifier_ The Groth16 verifier of the ballot circuit (depth 20).
    /// @param calendar_ The calendar; see {IElection.Calendar} for its ordering.
    /// @param districts_ The districts, numbered from 0 in this order: 1 to 255, each with at
    /// least one option and a minimum of 1 to `MAX_MEMBERS` members.
    /// @param definitionHash_ keccak256 of the canonical election definition (not zero).
    /// @param grants The registrars' quotas from the start (may be empty).
    /// @param recoveryApprovals_ The registrars that must approve a replacement: 0 (no recovery)
    /// or at least 2, so that no single registrar can take over a person's registration.
    /// @param ballotMode_ How ballots are taken (see {IRecordedBallots}); the definition whose
    /// hash is `definitionHash_` names the same mode.
    /// @param secrecy_ Plain or encrypted ballots, and the election key's hash (see
    /// {IEncryptedBallots}); `verifier_` must then be the verifier of the election key's
    /// circuit (39 public signals).
    constructor(
        address organizer_,
        IGroth16Verifier verifier_,
        Calendar memory calendar_,
        DistrictConfig[] memory districts_,
        bytes32 definitionHash_,
        RegistrarGrant[] memory grants,
        uint32 recoveryApprovals_,
        BallotMode ballotMode_,
        Secrecy memory secrecy_
    ) {
        if (organizer_ == address(0)) revert InvalidOrganizer(organizer_);
        if (address(verifier_) == address(0)) revert InvalidVerifier(address(verifier_));
        _requireOrderedCalendar(calendar_);
        if (definitionHash_ == bytes32(0)) revert MissingDefinitionHash();
        uint256 optionTotal = _storeDistricts(districts_, secrecy_);

        _organizer = organizer_;
        _verifier = verifier_;
        _registrationStart = calendar_.registrationStart;
        _registrationEnd = calendar_.registrationEnd;
        _votingStart = calendar_.votingStart;
        _votingEnd = calendar_.votingEnd;
        _appealsEnd = calendar_.appealsEnd;
        // _storeDistricts refused more than 255 districts.
        _districtCount = uint32(districts_.length);
        _definitionHash = definitionHash_;
        _ballotMode = ballotMode_;
        bool encrypted = secrecy_.ballotSecrecy == BallotSecrecy.Encrypted;
        _ballotSecrecy = secrecy_.ballotSecrecy;
        _electionKeyHash = secrecy_.electionKeyHash;
        _wordsPerProof = encrypted ? WORDS_PER_ENCRYPTED_PROOF : WORDS_PER_PROOF;
        _recordBytes = encrypted ? ENCRYPTED_RECORD_BYTES : RECORD_BYTES;
        _decryptionBytes = encrypted ? optionTotal * DECRYPTION_BYTES_PER_OPTION : 0;
        _bisectionGasBase = encrypted ? ENCRYPTED_BISECTION_GAS_BASE : BISECTION_GAS_BASE;
        _challengeVerifyGas = encrypted ? ENCRYPTED_CHALLENGE_VERIFY_GAS : CHALLENGE_VERIFY_GAS;
        // Fixed with the chain id at deployment: a proof is bound to this address on this chain.
        // (After a chain split both copies keep the original chain id; the recount reads one.)
        uint256 electionScope = BallotEncoding.electionScope(block.chainid, address(this));
        _scope = electionScope;
        _scopeSignal = BallotEncoding.hashToField(electionScope);
        if (recoveryApprovals_ == 1) revert InvalidRecoveryApprovals(recoveryApprovals_);
        _recoveryApprovals = recoveryApprovals_;
        _domainSeparator = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256("Veche Election"),
                keccak256("1"),
                block.chainid,
                address(this)
            )
        );

        for (uint256 i = 0; i < grants.length; ++i) {
            RegistrarGrant memory grant = grants[i];
            _setQuota(grant.registrar, grant.district, grant.quota);
        }
    }

    // --- registrars and registers -----------------------------------------------------------

    /// @inheritdoc IElection
    function authorizeRegistrar(
        address registrar,
        uint32[] calldata districts,
        uint32[] calldata quotas
    ) external {
        _requireOrganizerBeforeRegistrationEnd();
        uint256 count = districts.length;
        if (count != quotas.length) revert QuotaCountMismatch(count, quotas.length);
        if (count == 0) revert NoDistrictsGiven(registrar);
        for (uint256 i = 0; i < count; ++i) {
            _setQuota(registrar, districts[i], quotas[i]);
        }
    }

    /// @inheritdoc IElection
    function suspendRegistrar(address registrar, string calldata reason) external {
        RegistrarAccount storage account = _suspensionTarget(registrar, reason);
        if (account.suspended) revert RegistrarAlreadySuspended(registrar);
        account.suspended = true;
        emit RegistrarSuspended(registrar, reason);
    }

    /// @inheritdoc IElection
    function reinstateRegistrar(address registrar, string calldata reason) external {
        RegistrarAccount storage account = _suspensionTarget(registrar, reason);
        if (!account.suspended) revert RegistrarNotSuspended(registrar);
        account.suspended = false;
        emit RegistrarReinstated(registrar, reason);
    }

    /// @inheritdoc IElection
    function addMembers(
        uint32 district,
        uint256[] calldata commitments,
        bytes32[] calldata tags
    ) external {
        RegistrarAccount storage account = _registrars[msg.sender];
        if (!account.authorized) revert NotRegistrar(msg.sender);
        if (account.suspended) revert SuspendedRegistrar(msg.sender);
        _requireRegistrationOpen();
        RegisterTree.Data storage register = _districtData(district).register;
        uint256 batchSize = commitments.length;
        if (batchSize == 0) revert EmptyBatch();
        if (tags.length != batchSize) revert TagCountMismatch(batchSize, tags.length);
        _useQuota(account.quotas[district], district, batchSize);
        uint256 firstIndex = register.size;
        // firstIndex <= MAX_MEMBERS always holds, so the subtraction cannot underflow.
        if (batchSize > MAX_MEMBERS - firstIndex) {
            revert RegisterFull(district, firstIndex, batchSize, MAX_MEMBERS);
        }
        for (uint256 i = 0; i < batchSize; ++i) {
            uint256 commitment = commitments[i];
            _requireCommitment(commitment);
            // firstIndex + i < MAX_MEMBERS = 2^20 fits a uint32.
            _claimTag(tags[i], commitment, district, uint32(firstIndex + i));
        }

        uint256 root = register.insertMany(commitments);

        for (uint256 i = 0; i < batchSize; ++i) {
            emit MemberAdded(district, firstIndex + i, commitments[i], tags[i], root, msg.sender);
        }
    }

    /// @inheritdoc IElection
    function replaceMember(
        bytes32 tag,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings,
        bytes[] calldata approvals
    ) external {
        _requireRegistrationOpen();
        uint32 required = _recoveryApprovals;
        if (required == 0) revert RecoveryDisabled();
        Person storage record = _people[tag];
        if (!record.registered) revert UnknownPerson(tag);
        _requireCommitment(newCommitment);
        if (newCommitment == oldCommitment) revert SameCommitment(newCommitment);
        address[] memory approvers = _approvers(
            replacementDigest(tag, oldCommitment, newCommitment, record.replacements),
            approvals,
            required
        );
        uint256 root = _replaceLeaf(record, oldCommitment, newCommitment, siblings);
        emit MemberReplaced(
            record.district,
            record.index,
            oldCommitment,
            newCommitment,
            tag,
            root,
            approvers
        );
    }

    // --- ballots ----------------------------------------------------------------------------

    /// @inheritdoc IElection
    function castBallot(
        uint32 district,
        uint256 merkleRoot_,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) external {
        _requireBallotSecrecy(BallotSecrecy.Plain);
        _requireVotingOpen();
        _requireOpenDistrictRoot(district, merkleRoot_, choice);
        if (_ballotMode == BallotMode.Recorded) {
            // No per-voter state in this mode: the ballot joins the nullifier's one sequence
            // of revisions with the records, which the recount orders (see IRecordedBallots).
            if (revision == 0) revert StaleRevision(nullifier, revision, 0);
            if (!_verifyBallotProof(district, merkleRoot_, nullifier, choice, revision, proof)) {
                revert InvalidProof(nullifier);
            }
            emit BallotCast(nullifier, district, choice, revision, merkleRoot_, proof);
            return;
        }
        uint32 storedRevision = _ballots[nullifier].revision;
        _requireNextRevision(nullifier, revision, storedRevision);
        if (!_verifyBallotProof(district, merkleRoot_, nullifier, choice, revision, proof)) {
            revert InvalidProof(nullifier);
        }
        _recordBallot(district, merkleRoot_, nullifier, choice, revision, storedRevision, proof);
    }

    /// @inheritdoc IElection
    /// @dev Ballots are recorded before the one proof check at the end: if it fails, the revert
    /// undoes every record, so a ballot is never counted without its proof checked. The checks
    /// of a district (exists, minimum, options, root) are read once for a run of ballots of
    /// that district, and the verifier's call is written in place around the proofs (no copy).
    function castBallots(BallotInput[] calldata ballots) external {
        Batch memory batch = _startBatch(ballots.length, BallotSecrecy.Plain);
        for (uint256 i = 0; i < ballots.length; ++i) {
            _count(batch, i, _castInBatch(ballots[i], batch));
        }
        _finishBatch(batch);
    }

    // --- encrypted ballots (see IEncryptedBallots) ---------------------------------------

    /// @inheritdoc IEncryptedBallots
    function castEncryptedBallot(EncryptedBallotInput calldata ballot) external {
        _requireBallotSecrecy(BallotSecrecy.Encrypted);
        _requireVotingOpen();
        uint32 district = ballot.district;
        uint32 revision = ballot.revision;
        uint256 nullifier = ballot.nullifier;
        (uint32 optionCount, uint256 root) = _requireOpenDistrict(district);
        if (ballot.merkleRoot != root) revert RootMismatch(district, ballot.merkleRoot, root);
        bool recorded = _ballotMode == BallotMode.Recorded;
        // Recorded mode: no per-voter state, the ballot joins the nullifier's sequence of
        // revisions with the records, which the recount orders (see IRecordedBallots).
        uint32 storedRevision = recorded ? 0 : _ballots[nullifier].revision;
        if (recorded) {
            if (revision == 0) revert StaleRevision(nullifier, revision, 0);
        } else {
            _requireNextRevision(nullifier, revision, storedRevision);
        }
        uint256[] memory words = _verifierCallBuffer(WORDS_PER_ENCRYPTED_PROOF);
        _packEncryptedProof(words, 0, ballot, root, optionCount);
        if (!_verifyBatchInPlace(words)) revert InvalidProof(nullifier);
        if (!recorded) {
            if (storedRevision == 0) {
                // At most one increment per distinct nullifier: cannot overflow a uint256.
                unchecked {
                    ++_ballotCount;
                }
            }
            _storeEncryptedBallot(words, 0, nullifier, district, revision);
        }
        _logEncryptedBallotCast(ballot);
    }

    /// @inheritdoc IEncryptedBallots
    /// @dev As {castBallots}: ballots are recorded before the one proof check at the end.
    function castEncryptedBallots(EncryptedBallotInput[] calldata ballots) external {
        Batch memory batch = _startBatch(ballots.length, BallotSecrecy.Encrypted);
        for (uint256 i = 0; i < ballots.length; ++i) {
            _count(batch, i, _castEncryptedInBatch(ballots[i], batch));
        }
        _finishBatch(batch);
    }

    /// @inheritdoc IEncryptedBallots
    function publishDecryption(uint8 trustee, bytes calldata data) external {
        _requireBallotSecrecy(BallotSecrecy.Encrypted);
        uint64 now_ = _now();
        bytes32 published = _resultHash;
        if (now_ < _votingEnd || published != bytes32(0)) {
            revert DecryptionClosed(now_, _votingEnd, published);
        }
        if (trustee == 0) revert InvalidTrustee(trustee);
        if (data.length != _decryptionBytes) {
            revert MalformedDecryption(data.length, _decryptionBytes);
        }
        emit DecryptionPublished(trustee, msg.sender, data);
    }

    /// @inheritdoc IEncryptedBallots
    function ballotSecrecy() external view returns (BallotSecrecy) {
        return _ballotSecrecy;
    }

    /// @inheritdoc IEncryptedBallots
    function electionKeyHash() external view returns (bytes32) {
        return _electionKeyHash;
    }

    /// @inheritdoc IEncryptedBallots
    function ciphertextHashOf(uint256 nullifier) external view returns (bytes32) {
        return _ciphertextHashes[nullifier];
    }

    /// @inheritdoc IEncryptedBallots
    function decryptionBytes() external view returns (uint256) {
        return _decryptionBytes;
    }

    /// @inheritdoc IEncryptedBallots
    function recordBytes() external view returns (uint256) {
        return _recordBytes;
    }

    /// @dev Reverts with {WrongBallotSecrecy} unless the election's ballots are `secrecy`.
    function _requireBallotSecrecy(BallotSecrecy secrecy) private view {
        if (_ballotSecrecy != secrecy) revert WrongBallotSecrecy(_ballotSecrecy);
    }

    /// @dev The checks a batch of `count` ballots of `secrecy` starts with (secrecy, verified
    /// mode, size, window), and its state: see {Batch}.
    function _startBatch(
        uint256 count,
        BallotSecrecy secrecy
    ) private view returns (Batch memory batch) {
        _requireBallotSecrecy(secrecy);
        _requireBallotMode(BallotMode.Verified);
        if (count == 0) revert EmptyBatch();
        if (count > MAX_BALLOTS_PER_BATCH) revert BatchTooLarge(count, MAX_BALLOTS_PER_BATCH);
        _requireVotingOpen();
        batch.words = _verifierCallBuffer(count * _wordsPerProof);
        batch.positions = new uint256[](count);
        batch.districts = new uint256[](2 * uint256(_districtCount));
    }

    /// @dev Notes the outcome of ballot `position` of the batch (0 skipped, 1 a re-vote, 2 a
    /// nullifier's first ballot).
    function _count(Batch memory batch, uint256 position, uint256 outcome) private pure {
        if (outcome == 0) return;
        batch.positions[batch.accepted] = position;
        // accepted < count <= MAX_BALLOTS_PER_BATCH, and so is newVoters.
        unchecked {
            ++batch.accepted;
            if (outcome == 2) ++batch.newVoters;
        }
    }

    /// @dev Counts the batch's new voters and checks its accepted proofs at once (nothing to
    /// check if every ballot was skipped).
    function _finishBatch(Batch memory batch) private {
        uint256 accepted = batch.accepted;
        if (accepted == 0) return;
        // At most MAX_BALLOTS_PER_BATCH per batch: cannot overflow a uint256.
        unchecked {
            _ballotCount += batch.newVoters;
        }
        uint256[] memory words = batch.words;
        uint256 length = accepted * _wordsPerProof;
        // Shortens `words` to the recorded ballots (it only ever shrinks).
        assembly ("memory-safe") {
            mstore(words, length)
        }
        if (!_verifyBatchInPlace(words)) _revertWithInvalidProof(words, batch.positions);
    }

    // --- recorded ballots (see IRecordedBallots) -----------------------------------------

    /// @inheritdoc IRecordedBallots
    function recordBallots(bytes calldata records) external returns (bytes32 batch) {
        _requireBallotMode(BallotMode.Recorded);
        RelayerStatus status = _relayers[msg.sender];
        if (status != RelayerStatus.Authorized) {
            if (status == RelayerStatus.Suspended) revert SuspendedRelayer(msg.sender);
            revert NotAuthorizedRelayer(msg.sender);
        }
        _requireVotingOpen();
        uint256 length = records.length;
        uint256 recordSize = _recordBytes;
        if (length == 0 || length % recordSize != 0) {
            revert MalformedRecords(length, recordSize);
        }
        uint256 count = length / recordSize;
        if (count > MAX_RECORDS_PER_BATCH) revert TooManyRecords(count, MAX_RECORDS_PER_BATCH);
        // The district whose checks passed last (none yet), and its option count.
        uint256 checkedDistrict = type(uint256).max;
        uint32 optionCount = 0;
        for (uint256 i = 0; i < count; ++i) {
            (uint256 nullifier, uint32 district, uint32 choice, uint32 revision) = _recordAt(
                records,
                i
            );
            if (district != checkedDistrict) {
                (optionCount, ) = _requireOpenDistrict(district);
                checkedDistrict = district;
            }
            if (choice >= optionCount) revert UnknownChoice(district, choice, optionCount);
            if (nullifier >= BallotEncoding.SNARK_SCALAR_FIELD || revision == 0) {
                revert InvalidRecord(i, nullifier, revision);
            }
        }
        batch = _logRecords(records);
        _recordedBatches[batch] = block.number;
    }

    /// @inheritdoc IRecordedBallots
    function challengeBallot(address relayer, bytes calldata records, uint256 index) external {
        _requireBallotMode(BallotMode.Recorded);
        bytes32 batch = keccak256(abi.encodePacked(relayer, records));
        if (_recordedBatches[batch] == 0) revert UnknownRecordBatch(batch);
        // A recorded batch is a whole number of records.
        uint256 count = records.length / _recordBytes;
        if (index >= count) revert RecordIndexOutOfRange(index, count);
        bytes32 mark = keccak256(abi.encode(batch, index));
        if (_invalidRecords[mark]) revert RecordAlreadyMarked(batch, index);
        (bool valid, uint256 nullifier) = _verifyRecord(records, index);
        if (valid) revert RecordedBallotValid(batch, index, nullifier);
        _invalidRecords[mark] = true;
        emit RecordedBallotInvalid(batch, index, nullifier, relayer);
        if (_relayers[relayer] != RelayerStatus.Suspended) {
            _relayers[relayer] = RelayerStatus.Suspended;
            emit RelayerSuspended(relayer, "challenge: recorded a ballot whose proof is invalid");
        }
    }

    /// @inheritdoc IRecordedBallots
    function authorizeRelayer(address relayer) external {
        _requireRelayerManagement();
        if (relayer == address(0)) revert InvalidRelayer(relayer);
        RelayerStatus status = _relayers[relayer];
        if (status != RelayerStatus.None) revert RelayerAlreadyKnown(relayer, status);
        _relayers[relayer] = RelayerStatus.Authorized;
        emit RelayerAuthorized(relayer);
    }

    /// @inheritdoc IRecordedBallots
    function suspendRelayer(address relayer, string calldata reason) external {
        _requireRelayerManagement();
        if (bytes(reason).length == 0) revert EmptyReason();
        RelayerStatus status = _relayers[relayer];
        if (status != RelayerStatus.Authorized) revert RelayerNotAuthorized(relayer, status);
        _relayers[relayer] = RelayerStatus.Suspended;
        emit RelayerSuspended(relayer, reason);
    }

    /// @inheritdoc IRecordedBallots
    function ballotMode() external view returns (BallotMode) {
        return _ballotMode;
    }

    /// @inheritdoc IRecordedBallots
    function relayerStatus(address relayer) external view returns (RelayerStatus) {
        return _relayers[relayer];
    }

    /// @inheritdoc IRecordedBallots
    function recordedBatchBlock(bytes32 batch) external view returns (uint256) {
        return _recordedBatches[batch];
    }

    /// @inheritdoc IRecordedBallots
    function isRecordInvalid(bytes32 batch, uint256 index) external view returns (bool) {
        return _invalidRecords[keccak256(abi.encode(batch, index))];
    }

    /// @dev Reverts with {WrongBallotMode} unless the election takes ballots in `mode`.
    function _requireBallotMode(BallotMode mode) private view {
        if (_ballotMode != mode) revert WrongBallotMode(_ballotMode);
    }

    /// @dev Relayer accounts are managed by the organizer, in the recorded mode, until voting
    /// ends (a relayer that fails during voting can be replaced).
    function _requireRelayerManagement() private view {
        _requireBallotMode(BallotMode.Recorded);
        if (msg.sender != _organizer) revert NotOrganizer(msg.sender);
        uint64 now_ = _now();
        if (now_ >= _votingEnd) revert RelayerChangesClosed(now_, _votingEnd);
    }

    /// @dev Record `index` of `records` (in bounds: the caller checked), as laid out in
    /// {IRecordedBallots}: the nullifier word, then the proof, then district, choice, revision
    /// (plain), or district, revision, ciphertext (encrypted: choice 0).
    function _recordAt(
        bytes calldata records,
        uint256 index
    ) private view returns (uint256 nullifier, uint32 district, uint32 choice, uint32 revision) {
        uint256 recordSize = _recordBytes;
        uint256 tail;
        assembly ("memory-safe") {
            let at := add(records.offset, mul(index, recordSize))
            nullifier := calldataload(at)
            tail := calldataload(add(at, 0x120))
        }
        district = uint32(tail >> 248);
        if (recordSize == ENCRYPTED_RECORD_BYTES) {
            // The top 5 bytes of `tail`: district (1), revision (4).
            revision = uint32(tail >> 216);
        } else {
            // The top 9 bytes of `tail`: district (1), choice (4), revision (4).
            choice = uint32(tail >> 216);
            revision = uint32(tail >> 184);
        }
    }

    /// @dev Verifies record `index` of `records` (in bounds: the caller checked) against its
    /// district's root, after making sure the verifier has the gas it needs: its "false" then
    /// means an invalid proof, never a verifier short of gas.
    function _verifyRecord(
        bytes calldata records,
        uint256 index
    ) private view returns (bool valid, uint256 nullifier) {
        uint32 district;
        uint32 choice;
        uint32 revision;
        (nullifier, district, choice, revision) = _recordAt(records, index);
        // Recorded districts exist (recordBallots checked them).
        DistrictData storage data = _districts[district];
        uint256 root = data.register._root();
        uint256 recordSize = _recordBytes;
        uint256 at;
        assembly ("memory-safe") {
            at := add(records.offset, mul(index, recordSize))
        }
        uint256 gasLeft = gasleft();
        uint256 required = _challengeVerifyGas;
        if (gasLeft < required) revert ChallengeGasTooLow(gasLeft, required);
        if (recordSize == ENCRYPTED_RECORD_BYTES) {
            valid = _verifyEncryptedRecord(at, root, revision, district, data.optionCount);
            return (valid, nullifier);
        }
        uint256[8] calldata proof;
        assembly ("memory-safe") {
            proof := add(at, 0x20)
        }
        valid = _verifyBallotProof(district, root, nullifier, choice, revision, proof);
    }

    /// @dev Verifies the encrypted record at calldata `at`: its proof with the 39 signals of
    /// {_packEncryptedProof}, the ciphertext read from the record (after nullifier 32, proof
    /// 256, district 1, revision 4).
    function _verifyEncryptedRecord(
        uint256 at,
        uint256 root,
        uint32 revision,
        uint32 district,
        uint256 optionCount
    ) private view returns (bool) {
        uint256 messageSignal = BallotEncoding.hashToField(
            BallotEncoding.packMessage(0, revision, district)
        );
        uint256 scopeHash = _scopeSignal;
        uint256[] memory words = _verifierCallBuffer(WORDS_PER_ENCRYPTED_PROOF);
        assembly ("memory-safe") {
            let entry := add(words, 0x20)
            calldatacopy(entry, add(at, 0x20), 0x100)
            mstore(add(entry, 0x100), root)
            mstore(add(entry, 0x120), calldataload(at))
            calldatacopy(add(entry, 0x140), add(at, 0x125), 0x440)
            mstore(add(entry, 0x580), messageSignal)
            mstore(add(entry, 0x5a0), scopeHash)
            mstore(add(entry, 0x5c0), optionCount)
        }
        return _verifyBatchInPlace(words);
    }

    /// @dev Emits {BallotsRecorded} for `records` posted by the caller and returns the batch's
    /// key: the records are copied to memory once, hashed behind the caller's address, then
    /// logged as the event's ABI-encoded `bytes`.
    function _logRecords(bytes calldata records) private returns (bytes32 batch) {
        bytes32 topic = BallotsRecorded.selector;
        assembly ("memory-safe") {
            let length := records.length
            let start := mload(0x40)
            // [start, +0x20): offset 0x20; [+0x20, +0x40): length; then the records, padded.
            // The caller's 20 bytes go just before the records, over the length, for the hash.
            mstore(add(start, 0x2c), shl(96, caller()))
            calldatacopy(add(start, 0x40), records.offset, length)
            batch := keccak256(add(start, 0x2c), add(length, 20))
            mstore(start, 0x20)
            mstore(add(start, 0x20), length)
            let padded := and(add(length, 31), not(31))
            mstore(add(add(start, 0x40), length), 0)
            log3(start, add(0x40, padded), topic, batch, caller())
        }
    }

    // --- appeals and result -----------------------------------------------------------------

    /// @inheritdoc IElection
    function excludeDistrict(
        uint32 district,
        string calldata reason,
        bytes32 evidenceHash
    ) external {
        _requireOrganizerDuringAppeals();
        DistrictData storage data = _districtData(district);
        if (bytes(reason).length == 0) revert EmptyReason();
        if (evidenceHash == bytes32(0)) revert MissingEvidence(district);
        if (data.excluded) revert DistrictAlreadyExcluded(district);
        data.excluded = true;
        emit DistrictExcluded(district, reason, evidenceHash);
    }

    /// @inheritdoc IElection
    function restoreDistrict(uint32 district, string calldata reason) external {
        _requireOrganizerDuringAppeals();
        DistrictData storage data = _districtData(district);
        if (bytes(reason).length == 0) revert EmptyReason();
        if (!data.excluded) revert DistrictNotExcluded(district);
        data.excluded = false;
        emit DistrictRestored(district, reason);
    }

    /// @inheritdoc IElection
    function publishResult(bytes32 resultHash_) external {
        if (msg.sender != _organizer) revert NotOrganizer(msg.sender);
        uint64 now_ = _now();
        if (now_ < _appealsEnd) revert ResultNotYetAllowed(now_, _appealsEnd);
        if (resultHash_ == bytes32(0)) revert MissingResultHash();
        bytes32 published = _resultHash;
        if (published != bytes32(0)) revert ResultAlreadyPublished(published);
        _resultHash = resultHash_;
        emit ResultPublished(resultHash_);
    }

    // --- views ------------------------------------------------------------------------------

    /// @inheritdoc IElection
    function organizer() external view returns (address) {
        return _organizer;
    }

    /// @inheritdoc IElection
    function verifier() external view returns (IGroth16Verifier) {
        return _verifier;
    }

    /// @inheritdoc IElection
    function calendar() external view returns (Calendar memory) {
        return Calendar(_registrationStart, _registrationEnd, _votingStart, _votingEnd, _appealsEnd);
    }

    /// @inheritdoc IElection
    function phase() external view returns (Phase) {
        uint64 now_ = _now();
        if (now_ < _registrationStart) return Phase.Setup;
        if (now_ < _registrationEnd) return Phase.Registration;
        if (now_ < _votingStart) return Phase.Waiting;
        if (now_ < _votingEnd) return Phase.Voting;
        if (now_ < _appealsEnd) return Phase.Appeals;
        return Phase.Final;
    }

    /// @inheritdoc IElection
    function definitionHash() external view returns (bytes32) {
        return _definitionHash;
    }

    /// @inheritdoc IElection
    function districtCount() external view returns (uint32) {
        return _districtCount;
    }

    /// @inheritdoc IElection
    function districtState(uint32 district) external view returns (DistrictState memory) {
        DistrictData storage data = _districtData(district);
        return
            DistrictState({
                optionCount: data.optionCount,
                minimumMembers: data.minimumMembers,
                // A register never exceeds MAX_MEMBERS (2^20) members.
                memberCount: uint32(data.register.size),
                excluded: data.excluded,
                merkleRoot: data.register._root()
            });
    }

    /// @inheritdoc IElection
    function merkleRoot(uint32 district) external view returns (uint256) {
        return _districtData(district).register._root();
    }

    /// @inheritdoc IElection
    function memberCount(uint32 district) external view returns (uint256) {
        return _districtData(district).register.size;
    }

    /// @inheritdoc IElection
    function totalMembers() external view returns (uint256 total) {
        for (uint256 d = 0; d < _districtCount; ++d) {
            total += _districts[d].register.size;
        }
    }

    /// @inheritdoc IElection
    function isExcluded(uint32 district) external view returns (bool) {
        return _districtData(district).excluded;
    }

    /// @inheritdoc IElection
    function scope() external view returns (uint256) {
        return _scope;
    }

    /// @inheritdoc IElection
    function scopeSignal() external view returns (uint256) {
        return _scopeSignal;
    }

    /// @inheritdoc IElection
    function isRegistrar(address account) external view returns (bool) {
        RegistrarAccount storage rights = _registrars[account];
        return rights.authorized && !rights.suspended;
    }

    /// @inheritdoc IElection
    function registrarState(address registrar) external view returns (RegistrarState memory) {
        RegistrarAccount storage account = _registrars[registrar];
        return RegistrarState(account.authorized, account.suspended);
    }

    /// @inheritdoc IElection
    function registrarQuota(
        address registrar,
        uint32 district
    ) external view returns (QuotaState memory) {
        _districtData(district);
        return _registrars[registrar].quotas[district];
    }

    /// @inheritdoc IElection
    function tagUsed(bytes32 tag) external view returns (bool) {
        return _people[tag].registered;
    }

    /// @inheritdoc IElection
    function person(bytes32 tag) external view returns (Person memory) {
        return _people[tag];
    }

    /// @inheritdoc IElection
    function recoveryApprovals() external view returns (uint32) {
        return _recoveryApprovals;
    }

    /// @inheritdoc IElection
    function replacementsApproved(address registrar) external view returns (uint256) {
        return _replacementsApproved[registrar];
    }

    /// @inheritdoc IElection
    function replacementDigest(
        bytes32 tag,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint32 replacements
    ) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(REPLACEMENT_TYPEHASH, tag, oldCommitment, newCommitment, replacements)
        );
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator, structHash));
    }

    /// @inheritdoc IElection
    function ballotOf(uint256 nullifier) external view returns (Ballot memory) {
        return _ballots[nullifier];
    }

    /// @inheritdoc IElection
    function ballotCount() external view returns (uint256) {
        return _ballotCount;
    }

    /// @inheritdoc IElection
    function resultHash() external view returns (bytes32) {
        return _resultHash;
    }

    // --- private helpers --------------------------------------------------------------------

    /// @dev Requires `registrationStart < registrationEnd <= votingStart < votingEnd <
    /// appealsEnd`: registration ends before voting (the register freeze, see the contract's
    /// NatSpec), and no window is empty.
    function _requireOrderedCalendar(Calendar memory calendar_) private pure {
        if (
            calendar_.registrationStart >= calendar_.registrationEnd ||
            calendar_.registrationEnd > calendar_.votingStart ||
            calendar_.votingStart >= calendar_.votingEnd ||
            calendar_.votingEnd >= calendar_.appealsEnd
        ) {
            revert InvalidCalendar(
                calendar_.registrationStart,
                calendar_.registrationEnd,
                calendar_.votingStart,
                calendar_.votingEnd,
                calendar_.appealsEnd
            );
        }
    }

    /// @dev Validates and stores each district's option count and minimum, numbered in order,
    /// with the secrecy's rules (a key hash iff encrypted; then at most 16 options); returns
    /// the sum of the option counts.
    function _storeDistricts(
        DistrictConfig[] memory districts_,
        Secrecy memory secrecy_
    ) private returns (uint256 optionTotal) {
        uint256 count = districts_.length;
        if (count == 0 || count > MAX_DISTRICTS) revert InvalidDistrictCount(count);
        bool encrypted = secrecy_.ballotSecrecy == BallotSecrecy.Encrypted;
        if (encrypted == (secrecy_.electionKeyHash == bytes32(0))) {
            revert InvalidElectionKeyHash(secrecy_.ballotSecrecy, secrecy_.electionKeyHash);
        }
        for (uint256 d = 0; d < count; ++d) {
            DistrictConfig memory config = districts_[d];
            // d < 255 fits a uint32.
            uint32 id = uint32(d);
            if (config.optionCount == 0) revert InvalidOptionCount(id, config.optionCount);
            if (encrypted && config.optionCount > MAX_ENCRYPTED_OPTIONS) {
                revert TooManyEncryptedOptions(id, config.optionCount, MAX_ENCRYPTED_OPTIONS);
            }
            optionTotal += config.optionCount;
            if (config.minimumMembers == 0 || config.minimumMembers > MAX_MEMBERS) {
                revert InvalidMinimumMembers(id, config.minimumMembers, MAX_MEMBERS);
            }
            DistrictData storage data = _districts[d];
            data.optionCount = config.optionCount;
            data.minimumMembers = config.minimumMembers;
        }
    }

    /// @dev The district's storage, or `UnknownDistrict` for a number beyond the last district.
    function _districtData(uint32 district) private view returns (DistrictData storage) {
        if (district >= _districtCount) revert UnknownDistrict(district, _districtCount);
        return _districts[district];
    }

    /// @dev The ballot checks that depend on its district, in the order of {castBallot}: the
    /// district exists, has its minimum of members (constant while voting: registers are
    /// frozen), offers `choice`, and has `merkleRoot_` as its root.
    function _requireOpenDistrictRoot(
        uint32 district,
        uint256 merkleRoot_,
        uint32 choice
    ) private view {
        (uint32 optionCount, uint256 root) = _requireOpenDistrict(district);
        if (choice >= optionCount) revert UnknownChoice(district, choice, optionCount);
        if (merkleRoot_ != root) revert RootMismatch(district, merkleRoot_, root);
    }

    /// @dev Requires that `district` exists and has its minimum of members; returns its option
    /// count and its register's root.
    function _requireOpenDistrict(
        uint32 district
    ) private view returns (uint32 optionCount, uint256 root) {
        DistrictData storage data = _districtData(district);
        // A register never exceeds MAX_MEMBERS (2^20) members, so the size fits a uint32.
        uint32 members = uint32(data.register.size);
        uint32 minimum = data.minimumMembers;
        if (members < minimum) revert DistrictBelowMinimum(district, members, minimum);
        optionCount = data.optionCount;
        root = data.register._root();
    }

    /// @dev Shared by the constructor (no organizer or window check) and {authorizeRegistrar}:
    /// sets one quota, refusing a cut below what is already used (those members stay, and the
    /// public counts must keep adding up).
    function _setQuota(address registrar, uint32 district, uint32 quota) private {
        if (registrar == address(0)) revert InvalidRegistrar(registrar);
        _districtData(district);
        RegistrarAccount storage account = _registrars[registrar];
        QuotaState storage state = account.quotas[district];
        uint32 used = state.used;
        if (quota < used) revert QuotaBelowUsed(registrar, district, quota, used);
        account.authorized = true;
        state.quota = quota;
        emit RegistrarAuthorized(registrar, district, quota);
    }

    /// @dev The registrar a suspension or reinstatement is about, after the checks both share.
    function _suspensionTarget(
        address registrar,
        string calldata reason
    ) private view returns (RegistrarAccount storage account) {
        _requireOrganizerBeforeRegistrationEnd();
        if (bytes(reason).length == 0) revert EmptyReason();
        account = _registrars[registrar];
        if (!account.authorized) revert RegistrarNotAuthorized(registrar);
    }

    /// @dev Counts a batch against the caller's quota in `district`, or refuses it whole.
    function _useQuota(QuotaState storage state, uint32 district, uint256 batchSize) private {
        uint32 quota = state.quota;
        if (quota == 0) revert NotRegistrarForDistrict(msg.sender, district);
        uint32 used = state.used;
        // used <= quota < 2^32, so the subtraction cannot underflow.
        if (batchSize > quota - used) {
            revert QuotaExceeded(msg.sender, district, used, batchSize, quota);
        }
        // used + batchSize <= quota, so it fits a uint32.
        state.used = used + uint32(batchSize);
    }

    /// @dev Registrars are fixed once registration ends, so the registers' authors are known
    /// to everyone before the first ballot.
    function _requireOrganizerBeforeRegistrationEnd() private view {
        if (msg.sender != _organizer) revert NotOrganizer(msg.sender);
        uint64 now_ = _now();
        if (now_ >= _registrationEnd) revert RegistrarChangesClosed(now_, _registrationEnd);
    }

    /// @dev Exclusions are decided after voting, on evidence, and are final once appeals end,
    /// so that the result is computed from a state nobody can change any more.
    function _requireOrganizerDuringAppeals() private view {
        if (msg.sender != _organizer) revert NotOrganizer(msg.sender);
        uint64 now_ = _now();
        if (now_ < _votingEnd || now_ >= _appealsEnd) {
            revert AppealsClosed(now_, _votingEnd, _appealsEnd);
        }
    }

    /// @dev Refuses, with the offending value, a commitment the circuit cannot hold. A
    /// commitment already registered is not refused: one identity has one nullifier per
    /// election, so it votes once however many leaves hold it (docs/PROTOCOL.md, Registration).
    function _requireCommitment(uint256 commitment) private pure {
        if (commitment == 0 || commitment >= BallotEncoding.SNARK_SCALAR_FIELD) {
            revert InvalidCommitment(commitment);
        }
    }

    /// @dev Refuses a zero tag or one already used (including earlier in the same batch, since
    /// it is marked at once), then records it with its leaf's place, in one storage slot.
    function _claimTag(bytes32 tag, uint256 commitment, uint32 district, uint32 index) private {
        if (tag == bytes32(0)) revert MissingTag(commitment);
        if (_people[tag].registered) revert DuplicatePerson(tag);
        _people[tag] = Person(true, district, index, 0);
    }

    /// @dev Writes `newCommitment` into the leaf `record` names, whose path from
    /// `oldCommitment` must lead to the register's root, and counts the replacement. Returns
    /// the new root.
    function _replaceLeaf(
        Person storage record,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings
    ) private returns (uint256 root) {
        root = _districts[record.district].register.replace(
            record.index,
            oldCommitment,
            newCommitment,
            siblings
        );
        // One replacement per set of at least 2 fresh signatures: 2^32 is out of reach.
        unchecked {
            ++record.replacements;
        }
    }

    /// @dev The registrars whose signatures in `approvals` (65 bytes each, `r || s || v`)
    /// approve `digest`, after refusing fewer than `required`, a malformed or malleable
    /// signature, signers out of strictly increasing order (so none counts twice), and a signer
    /// that is not a registrar or is suspended. Counts one approved replacement for each.
    function _approvers(
        bytes32 digest,
        bytes[] calldata approvals,
        uint32 required
    ) private returns (address[] memory approvers) {
        uint256 count = approvals.length;
        if (count < required) revert TooFewApprovals(count, required);
        approvers = new address[](count);
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            address signer = _recover(digest, approvals[i], i);
            if (signer <= previous) revert ApprovalsNotOrdered(i, signer, previous);
            RegistrarAccount storage account = _registrars[signer];
            if (!account.authorized) revert ApprovalNotFromRegistrar(i, signer);
            if (account.suspended) revert ApprovalFromSuspendedRegistrar(i, signer);
            ++_replacementsApproved[signer];
            approvers[i] = signer;
            previous = signer;
        }
    }

    /// @dev The signer of `digest` in `signature` (`r || s || v`, v 27 or 28, s in the lower
    /// half of the curve order), or {InvalidApproval} naming its position.
    function _recover(
        bytes32 digest,
        bytes calldata signature,
        uint256 position
    ) private pure returns (address signer) {
        if (signature.length != 65) revert InvalidApproval(position);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > HALF_CURVE_ORDER || (v != 27 && v != 28)) {
            revert InvalidApproval(position);
        }
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidApproval(position);
    }

    /// @dev Unpacks the proof as docs/PROTOCOL.md packs it (G2 imaginary part first, as the
    /// snarkjs verifier expects) and binds it to the ballot's message (district, revision,
    /// choice) and this election's scope. Returns the verifier's answer, which is false also
    /// when the verifier ran out of gas.
    function _verifyBallotProof(
        uint32 district,
        uint256 root,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) private view returns (bool) {
        uint256 messageSignal = BallotEncoding.hashToField(
            BallotEncoding.packMessage(choice, revision, district)
        );
        return
            _verifier.verifyProof(
                [proof[0], proof[1]],
                [[proof[2], proof[3]], [proof[4], proof[5]]],
                [proof[6], proof[7]],
                [root, nullifier, messageSignal, _scopeSignal]
            );
    }

    /// @dev The revision rule (docs/PROTOCOL.md): a ballot carries exactly the stored revision
    /// plus one. Accepting any higher revision would let whoever holds a voter's secret (a
    /// coercer, a vote buyer) send revision 2^32-1, which nothing could follow: the voter would
    /// lose the re-vote that protects them. With +1, every ballot can always be followed.
    function _requireNextRevision(
        uint256 nullifier,
        uint32 revision,
        uint32 storedRevision
    ) private pure {
        if (revision <= storedRevision) revert StaleRevision(nullifier, revision, storedRevision);
        // revision > storedRevision >= 0, so storedRevision < 2^32 - 1 and + 1 cannot overflow.
        unchecked {
            if (revision != storedRevision + 1) {
                revert RevisionGap(nullifier, revision, storedRevision + 1);
            }
        }
    }

    /// @dev Refuses a change of the registers outside `[registrationStart, registrationEnd)`.
    function _requireRegistrationOpen() private view {
        uint64 now_ = _now();
        if (now_ < _registrationStart || now_ >= _registrationEnd) {
            revert RegistrationClosed(now_, _registrationStart, _registrationEnd);
        }
    }

    /// @dev Refuses a ballot outside `[votingStart, votingEnd)`.
    function _requireVotingOpen() private view {
        uint64 now_ = _now();
        if (now_ < _votingStart || now_ >= _votingEnd) {
            revert VotingClosed(now_, _votingStart, _votingEnd);
        }
    }

    /// @dev Stores the ballot for its nullifier (replacing the earlier one) and logs it.
    function _recordBallot(
        uint32 district,
        uint256 root,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint32 storedRevision,
        uint256[8] calldata proof
    ) private {
        if (storedRevision == 0) {
            // At most one increment per distinct nullifier: cannot overflow a uint256.
            unchecked {
                ++_ballotCount;
            }
        }
        _storeBallot(nullifier, district, choice, revision);
        emit BallotCast(nullifier, district, choice, revision, root, proof);
    }

    /// @dev Writes `Ballot(district, choice, revision, now)` for `nullifier` with one SSTORE
    /// (the struct's four fields share one slot, first field in the lowest bits). A later
    /// ballot moves to its own district; with one nullifier per identity and election that only
    /// happens if one identity were registered in two districts, and the voter still has one
    /// ballot (see docs/PROTOCOL.md, Registration).
    function _storeBallot(uint256 nullifier, uint32 district, uint32 choice, uint32 revision) private {
        Ballot storage stored = _ballots[nullifier];
        uint256 packed = uint256(district) |
            (uint256(choice) << 32) |
            (uint256(revision) << 64) |
            (uint256(_now()) << 96);
        assembly ("memory-safe") {
            sstore(stored.slot, packed)
        }
    }

    /// @dev A `uint256[]` of `length` words with room before it for the selector and the
    /// offset of `verifyBatch(uint256[])`, so that {_verifyBatchInPlace} sends it as it lies.
    function _verifierCallBuffer(uint256 length) private pure returns (uint256[] memory words) {
        assembly ("memory-safe") {
            let start := mload(0x40)
            words := add(start, 0x40)
            mstore(words, length)
            mstore(0x40, add(add(words, 0x20), mul(length, 0x20)))
        }
    }

    /// @dev Calls `verifyBatch(words)` with the call data written in the two words before
    /// `words` (made by {_verifierCallBuffer}); true only if the call succeeded and answered
    /// true. The verifier answers false, rather than failing, when it runs out of gas.
    function _verifyBatchInPlace(uint256[] memory words) private view returns (bool valid) {
        address target = address(_verifier);
        bytes4 selector = IGroth16Verifier.verifyBatch.selector;
        assembly ("memory-safe") {
            let start := sub(words, 0x40)
            mstore(start, shr(224, selector))
            mstore(add(start, 0x20), 0x20)
            let size := add(0x44, mul(mload(words), 0x20))
            let ok := staticcall(gas(), target, add(start, 0x1c), size, 0x00, 0x20)
            valid := and(ok, and(eq(returndatasize(), 0x20), eq(mload(0x00), 1)))
        }
    }

    /// @dev One ballot of {castBallots}: checks it as {castBallot} does, with its district's
    /// checks read once per batch (`batch.districts`, see {Batch}), then either skips it
    /// (returns 0, {BallotSkipped}) or stores it, logs it and writes it as proof number
    /// `batch.accepted` of the verifier's batch (returns 1 for a re-vote, 2 for a nullifier's first ballot).
    function _castInBatch(
        BallotInput calldata ballot,
        Batch memory batch
    ) private returns (uint256 outcome) {
        (uint32 district, uint32 choice, uint32 revision) = _smallFields(ballot);
        uint256 root = _checkedDistrict(batch.districts, district, choice);
        if (ballot.merkleRoot != root) revert RootMismatch(district, ballot.merkleRoot, root);
        uint256 nullifier = ballot.nullifier;
        (bool fresh, uint32 storedRevision) = _revisionInBatch(nullifier, revision);
        if (!fresh) return 0;
        uint256 message = BallotEncoding.packMessage(choice, revision, district);
        _packProof(batch.words, batch.accepted, ballot, root, message);
        _storeBallot(nullifier, district, choice, revision);
        _logBallotCast(ballot, root);
        outcome = storedRevision == 0 ? 2 : 1;
    }

    /// @dev A batched ballot's revision check: a stale revision (the nullifier's stored one or
    /// an earlier one, counted earlier or earlier in the batch) is skipped with {BallotSkipped}
    /// (returns false); any other must be the stored one plus one. Returns the stored revision.
    function _revisionInBatch(
        uint256 nullifier,
        uint32 revision
    ) private returns (bool fresh, uint32 storedRevision) {
        storedRevision = _ballots[nullifier].revision;
        if (revision <= storedRevision) {
            emit BallotSkipped(nullifier, revision, storedRevision);
            return (false, storedRevision);
        }
        _requireNextRevision(nullifier, revision, storedRevision);
        fresh = true;
    }

    /// @dev The three uint32 words that open a `BallotInput` (district, choice, revision),
    /// read together; a word that does not fit a uint32 is malformed call data, refused as the
    /// ABI decoder refuses it (an empty revert).
    function _smallFields(
        BallotInput calldata ballot
    ) private pure returns (uint32 district, uint32 choice, uint32 revision) {
        uint256 d;
        uint256 c;
        uint256 r;
        assembly ("memory-safe") {
            d := calldataload(ballot)
            c := calldataload(add(ballot, 0x20))
            r := calldataload(add(ballot, 0x40))
            if gt(or(or(d, c), r), 0xffffffff) {
                revert(0, 0)
            }
        }
        (district, choice, revision) = (uint32(d), uint32(c), uint32(r));
    }

    /// @dev Emits {BallotCast} for `ballot` (its fields already checked) with `root`, the
    /// event's eleven data words written straight from call data.
    function _logBallotCast(BallotInput calldata ballot, uint256 root) private {
        bytes32 topic = BallotCast.selector;
        assembly ("memory-safe") {
            let data := mload(0x40)
            // BallotInput: district, choice, revision, merkleRoot, nullifier, proof[8].
            mstore(data, calldataload(add(ballot, 0x20)))
            mstore(add(data, 0x20), calldataload(add(ballot, 0x40)))
            mstore(add(data, 0x40), root)
            calldatacopy(add(data, 0x60), add(ballot, 0xa0), 0x100)
            log3(data, 0x160, topic, calldataload(add(ballot, 0x80)), calldataload(ballot))
        }
    }

    /// @dev `district`'s root, after requiring (once per batch, remembered in `districts`: root
    /// at 2d, option count at 2d + 1) that it exists and is at its minimum, and that it offers
    /// `choice`.
    function _checkedDistrict(
        uint256[] memory districts,
        uint32 district,
        uint32 choice
    ) private view returns (uint256 root) {
        if (district >= _districtCount) revert UnknownDistrict(district, _districtCount);
        uint256 at = 2 * uint256(district);
        root = districts[at];
        uint256 optionCount = districts[at + 1];
        if (root == 0) {
            uint32 options;
            (options, root) = _requireOpenDistrict(district);
            optionCount = options;
            districts[at] = root;
            districts[at + 1] = options;
        }
        // optionCount came from a uint32.
        if (choice >= optionCount) revert UnknownChoice(district, choice, uint32(optionCount));
    }

    /// @dev Writes `ballot` as number `index` of the verifier's batch: the packed proof, then
    /// the public signals `[merkleRoot, nullifier, H(message), H(scope)]`.
    function _packProof(
        uint256[] memory words,
        uint256 index,
        BallotInput calldata ballot,
        uint256 root,
        uint256 message
    ) private view {
        uint256 messageSignal = BallotEncoding.hashToField(message);
        uint256 scopeSignal = _scopeSignal;
        uint256[8] calldata proof = ballot.proof;
        uint256 nullifier = ballot.nullifier;
        // words holds count * 12 words and index < count, so the 12 words written are inside.
        assembly ("memory-safe") {
            let entry := add(add(words, 0x20), mul(index, 0x180))
            calldatacopy(entry, proof, 0x100)
            mstore(add(entry, 0x100), root)
            mstore(add(entry, 0x120), nullifier)
            mstore(add(entry, 0x140), messageSignal)
            mstore(add(entry, 0x160), scopeSignal)
        }
    }

    /// @dev After a failed batch check: finds an invalid proof by bisection (each step checks
    /// half of the remaining range as a batch, about as much gas in all as the batch check
    /// itself) and reverts naming it by its position in `ballots`. It runs only on a path that
    /// reverts, and `eth_call` gives a relayer the culprit for free. With too little gas left
    /// to go on, it reverts with {BatchCheckFailed} instead of running out of gas.
    function _revertWithInvalidProof(
        uint256[] memory words,
        uint256[] memory positions
    ) private view {
        uint256 wordsPerProof = _wordsPerProof;
        uint256 gasBase = _bisectionGasBase;
        uint256 lo = 0;
        uint256 hi = words.length / wordsPerProof;
        // Invariant: the proofs in [lo, hi) together fail the check.
        while (hi - lo > 1) {
            uint256 mid = (lo + hi) / 2;
            if (gasleft() < gasBase + BISECTION_GAS_PER_PROOF * (mid - lo)) {
                revert BatchCheckFailed(words.length / wordsPerProof);
            }
            if (_verifier.verifyBatch(_proofRange(words, lo, mid, wordsPerProof))) lo = mid;
            else hi = mid;
        }
        if (gasleft() > gasBase + BISECTION_GAS_PER_PROOF) {
            if (!_verifier.verifyBatch(_proofRange(words, lo, hi, wordsPerProof))) {
                // Every entry holds its nullifier as its tenth word (after the 8 of the proof
                // and the root), plain or encrypted.
                revert InvalidProofInBatch(positions[lo], words[lo * wordsPerProof + 9]);
            }
        }
        revert BatchCheckFailed(words.length / wordsPerProof);
    }

    /// @dev A copy of proofs `[from, to)` of the verifier's batch `words`.
    function _proofRange(
        uint256[] memory words,
        uint256 from,
        uint256 to,
        uint256 wordsPerProof
    ) private pure returns (uint256[] memory range) {
        uint256 length = (to - from) * wordsPerProof;
        range = new uint256[](length);
        uint256 offset = from * wordsPerProof * 0x20;
        // from < to <= words.length / wordsPerProof: the copied words lie inside `words`.
        assembly ("memory-safe") {
            mcopy(add(range, 0x20), add(add(words, 0x20), offset), mul(length, 0x20))
        }
    }

    /// @dev One ballot of {castEncryptedBallots}, as {_castInBatch} for a plain one: checks,
    /// then skips it (returns 0, {BallotSkipped}) or stores it, logs it and writes it as proof
    /// number `batch.accepted` of the verifier's batch (returns 1 for a re-vote, 2 for a first one).
    function _castEncryptedInBatch(
        EncryptedBallotInput calldata ballot,
        Batch memory batch
    ) private returns (uint256 outcome) {
        uint32 district = ballot.district;
        uint32 revision = ballot.revision;
        // Choice 0 is below every option count: this checks the district only.
        uint256 root = _checkedDistrict(batch.districts, district, 0);
        if (ballot.merkleRoot != root) revert RootMismatch(district, ballot.merkleRoot, root);
        uint256 nullifier = ballot.nullifier;
        (bool fresh, uint32 storedRevision) = _revisionInBatch(nullifier, revision);
        if (!fresh) return 0;
        // _checkedDistrict left the district's option count at 2d + 1.
        uint256 optionCount = batch.districts[2 * uint256(district) + 1];
        _packEncryptedProof(batch.words, batch.accepted, ballot, root, optionCount);
        _storeEncryptedBallot(batch.words, batch.accepted, nullifier, district, revision);
        _logEncryptedBallotCast(ballot);
        outcome = storedRevision == 0 ? 2 : 1;
    }

    /// @dev Writes `ballot` as number `index` of the verifier's batch: the packed proof, then
    /// the 39 public signals `[merkleRoot, nullifier, ciphertext (34), H(message), H(scope),
    /// options]`, the message with choice 0 and `options` the district's option count.
    function _packEncryptedProof(
        uint256[] memory words,
        uint256 index,
        EncryptedBallotInput calldata ballot,
        uint256 root,
        uint256 optionCount
    ) private view {
        uint256 messageSignal = BallotEncoding.hashToField(
            BallotEncoding.packMessage(0, ballot.revision, ballot.district)
        );
        uint256 scopeHash = _scopeSignal;
        // EncryptedBallotInput: district, revision, merkleRoot, nullifier, proof[8],
        // ciphertext[34]. words holds at least (index + 1) * 47 words.
        assembly ("memory-safe") {
            let entry := add(add(words, 0x20), mul(index, 0x5e0))
            calldatacopy(entry, add(ballot, 0x80), 0x100)
            mstore(add(entry, 0x100), root)
            mstore(add(entry, 0x120), calldataload(add(ballot, 0x60)))
            calldatacopy(add(entry, 0x140), add(ballot, 0x180), 0x440)
            mstore(add(entry, 0x580), messageSignal)
            mstore(add(entry, 0x5a0), scopeHash)
            mstore(add(entry, 0x5c0), optionCount)
        }
    }

    /// @dev Stores the ballot slot (choice 0) and the hash of the ciphertext that entry
    /// `index` of the verifier's batch holds.
    function _storeEncryptedBallot(
        uint256[] memory words,
        uint256 index,
        uint256 nullifier,
        uint32 district,
        uint32 revision
    ) private {
        _storeBallot(nullifier, district, 0, revision);
        bytes32 ciphertextHash;
        assembly ("memory-safe") {
            ciphertextHash := keccak256(add(add(words, 0x160), mul(index, 0x5e0)), 0x440)
        }
        _ciphertextHashes[nullifier] = ciphertextHash;
    }

    /// @dev Emits {EncryptedBallotCast} for `ballot` (its fields already checked), the event's
    /// 44 data words (revision, root, proof, ciphertext) written straight from call data.
    function _logEncryptedBallotCast(EncryptedBallotInput calldata ballot) private {
        bytes32 topic = EncryptedBallotCast.selector;
        assembly ("memory-safe") {
            let data := mload(0x40)
            calldatacopy(data, add(ballot, 0x20), 0x40)
            calldatacopy(add(data, 0x40), add(ballot, 0x80), 0x540)
            log3(data, 0x580, topic, calldataload(add(ballot, 0x60)), calldataload(ballot))
        }
    }

    /// @dev Block timestamps fit in 64 bits for the next 500 billion years.
    function _now() private view returns (uint64) {
        return uint64(block.timestamp);
    }
}

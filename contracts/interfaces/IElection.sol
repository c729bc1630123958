// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGroth16Verifier} from "./IGroth16Verifier.sol";

/// @title One Veche election: a register of anonymous voters and their zero-knowledge ballots.
/// @notice Registrars add voters' identity commitments to a register (a LeanIMT Merkle tree)
/// during the registration window. During the voting window anyone (usually a relayer) submits a
/// voter's ballot with a Groth16 proof that the voter's commitment is in the register. The
/// proof's nullifier identifies the voter within this election without revealing who they are:
/// a later ballot with the same nullifier and a higher revision replaces the earlier one.
/// @dev Encodings (scope, message, proof packing) are fixed in docs/PROTOCOL.md. Windows are
/// half-open: registration is open iff `registrationStart <= block.timestamp < registrationEnd`,
/// voting iff `votingStart <= block.timestamp < votingEnd`.
interface IElection {
    /// @notice The public calendar of the election, in Unix seconds.
    /// @dev Strictly ordered: `registrationStart < registrationEnd <= votingStart < votingEnd`,
    /// so the register is frozen before the first ballot and every proof is made against its
    /// final root.
    struct Calendar {
        /// @notice First second at which registrars may add members.
        uint64 registrationStart;
        /// @notice First second at which the register is closed.
        uint64 registrationEnd;
        /// @notice First second at which ballots are accepted.
        uint64 votingStart;
        /// @notice First second at which ballots are refused.
        uint64 votingEnd;
    }

    /// @notice The ballot currently counted for one nullifier (one voter).
    struct Ballot {
        /// @notice Index of the chosen option, `< optionCount()`.
        uint32 choice;
        /// @notice Revision of this ballot; 0 means no ballot.
        uint32 revision;
        /// @notice Timestamp of the block that accepted this ballot.
        uint64 castAt;
    }

    /// @notice A registrar may now add members to the register.
    /// @param registrar The authorised account.
    event RegistrarAuthorized(address indexed registrar);

    /// @notice A registrar may no longer add members; the members it added stay.
    /// @param registrar The revoked account.
    event RegistrarRevoked(address indexed registrar);

    /// @notice A commitment was appended to the register.
    /// @dev Members of one `addMembers` batch share one `merkleRoot`: the root once the whole
    /// batch is in. Computing the root after every member would cost up to 20 extra Poseidon
    /// hashes per member, and a recount needs only the final root.
    /// @param index Position of the member in the register (0-based, the LeanIMT leaf index).
    /// @param commitment The voter's identity commitment.
    /// @param merkleRoot The register's root after the batch that added this member.
    /// @param registrar The registrar that added the member.
    event MemberAdded(
        uint256 indexed index,
        uint256 commitment,
        uint256 merkleRoot,
        address indexed registrar
    );

    /// @notice A ballot was accepted; it replaces any earlier ballot with the same nullifier.
    /// @dev The proof is logged so that anyone can re-verify every counted ballot from the logs.
    /// @param nullifier The voter's nullifier in this election.
    /// @param choice Index of the chosen option.
    /// @param revision Revision of the ballot, greater than any earlier one for this nullifier.
    /// @param merkleRoot The register root the proof was made against.
    /// @param proof The Groth16 proof, packed as in docs/PROTOCOL.md.
    event BallotCast(
        uint256 indexed nullifier,
        uint32 choice,
        uint32 revision,
        uint256 merkleRoot,
        uint256[8] proof
    );

    /// @notice The calendar is not strictly ordered.
    error InvalidCalendar(
        uint64 registrationStart,
        uint64 registrationEnd,
        uint64 votingStart,
        uint64 votingEnd
    );

    /// @notice An election needs between 2 and 2^32 - 1 options.
    /// @param count The number of options given.
    error InvalidOptionCount(uint256 count);

    /// @notice An option's label is empty.
    /// @param index The index of the empty option.
    error EmptyOption(uint256 index);

    /// @notice The verifier address is zero.
    error InvalidVerifier(address verifier);

    /// @notice The caller is not the organizer.
    /// @param caller The account that called.
    error NotOrganizer(address caller);

    /// @notice The caller is not an authorised registrar.
    /// @param caller The account that called.
    error NotRegistrar(address caller);

    /// @notice The zero address cannot be a registrar.
    error InvalidRegistrar(address registrar);

    /// @notice The account is already an authorised registrar.
    error RegistrarAlreadyAuthorized(address registrar);

    /// @notice The account is not an authorised registrar, so it cannot be revoked.
    error RegistrarNotAuthorized(address registrar);

    /// @notice Registrars can only be changed before the registration window ends.
    /// @param now The current block timestamp.
    /// @param registrationEnd The end of the registration window.
    error RegistrarChangesClosed(uint64 now, uint64 registrationEnd);

    /// @notice The registration window is not open.
    /// @param now The current block timestamp.
    /// @param start The first second of the window.
    /// @param end The first second after the window.
    error RegistrationClosed(uint64 now, uint64 start, uint64 end);

    /// @notice `addMembers` was called with no commitments.
    error EmptyBatch();

    /// @notice The batch would take the register beyond the circuit's capacity.
    /// @param memberCount Members already in the register.
    /// @param batchSize Members in the refused batch.
    /// @param capacity The largest register the circuit admits.
    error RegisterFull(uint256 memberCount, uint256 batchSize, uint256 capacity);

    /// @notice A commitment is zero or not a BN254 scalar field element.
    error InvalidCommitment(uint256 commitment);

    /// @notice A commitment is already in the register.
    /// @dev A commitment given twice in one batch is refused by LeanIMT's `LeafAlreadyExists()`.
    error DuplicateCommitment(uint256 commitment);

    /// @notice The voting window is not open.
    /// @param now The current block timestamp.
    /// @param start The first second of the window.
    /// @param end The first second after the window.
    error VotingClosed(uint64 now, uint64 start, uint64 end);

    /// @notice The choice is not the index of an option.
    /// @param choice The choice given.
    /// @param optionCount The number of options.
    error UnknownChoice(uint32 choice, uint32 optionCount);

    /// @notice The proof's Merkle root is not the register's root.
    /// @param given The root the ballot claims.
    /// @param expected The register's root.
    error RootMismatch(uint256 given, uint256 expected);

    /// @notice The ballot's revision does not exceed the stored one (revision 0 never does).
    /// @param nullifier The voter's nullifier.
    /// @param given The ballot's revision.
    /// @param stored The revision of the ballot currently counted (0 if none).
    error StaleRevision(uint256 nullifier, uint32 given, uint32 stored);

    /// @notice The verifier rejected the proof.
    /// @param nullifier The nullifier the ballot claims.
    error InvalidProof(uint256 nullifier);

    /// @notice Allows `registrar` to add members until registration ends.
    /// @dev Organizer only, before `registrationEnd`. Emits {RegistrarAuthorized}.
    /// @param registrar The account to authorise.
    function authorizeRegistrar(address registrar) external;

    /// @notice Stops `registrar` from adding members; members it added stay in the register.
    /// @dev Organizer only, before `registrationEnd`. Emits {RegistrarRevoked}.
    /// @param registrar The account to revoke.
    function revokeRegistrar(address registrar) external;

    /// @notice Appends identity commitments to the register.
    /// @dev Authorised registrars only, during the registration window. Emits one {MemberAdded}
    /// per commitment, in register order. Refuses the whole batch if any commitment is zero, not
    /// below the field order, already registered or repeated in the batch.
    /// @param commitments The commitments to append, in order.
    function addMembers(uint256[] calldata commitments) external;

    /// @notice Submits a voter's ballot; anyone may relay it.
    /// @dev Checks, in this order: the voting window, `choice < optionCount`, `merkleRoot` equals
    /// the register's root, `revision` exceeds the stored one for `nullifier`, the proof. Then
    /// stores the ballot and emits {BallotCast}.
    /// @param merkleRoot The register root the proof was made against.
    /// @param nullifier The voter's nullifier in this election.
    /// @param choice Index of the chosen option.
    /// @param revision The ballot's revision, starting at 1.
    /// @param proof The Groth16 proof, packed as in docs/PROTOCOL.md.
    function castBallot(
        uint256 merkleRoot,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) external;

    /// @notice The account that deployed the election and manages its registrars.
    function organizer() external view returns (address);

    /// @notice The Groth16 verifier of ballot proofs.
    function verifier() external view returns (IGroth16Verifier);

    /// @notice The election's calendar.
    function calendar() external view returns (Calendar memory);

    /// @notice The options' labels, in choice order.
    function options() external view returns (string[] memory);

    /// @notice The number of options.
    function optionCount() external view returns (uint32);

    /// @notice `uint256(keccak256(abi.encode(chainId, address(this))))`, with the chain id of
    /// deployment.
    function scope() external view returns (uint256);

    /// @notice The circuit's public scope signal: `H(scope())`.
    function scopeSignal() external view returns (uint256);

    /// @notice The register's current Merkle root (0 while it is empty).
    function merkleRoot() external view returns (uint256);

    /// @notice The number of members in the register.
    function memberCount() external view returns (uint256);

    /// @notice Whether `account` may add members.
    function isRegistrar(address account) external view returns (bool);

    /// @notice The ballot currently counted for `nullifier` (all zero if none).
    function ballotOf(uint256 nullifier) external view returns (Ballot memory);

    /// @notice The number of distinct nullifiers that have cast a ballot.
    function ballotCount() external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The two ballot modes of a Veche election, and the "recorded" mode's surface.
/// @notice An election takes its ballots in one of two modes, fixed at deployment and pinned by
/// the definition hash (`ballot_mode` in the definition):
///
/// - Verified: every ballot's proof is checked on chain ({IElection-castBallot},
///   {IElection-castBallots}) and the contract keeps one slot per voter with the ballot counted.
///   A light client can trust the contract's state.
/// - Recorded: authorised relayer accounts post compact records of ballots ({recordBallots})
///   that the contract checks for window, district and option but does not verify, and for
///   which it keeps no slot per voter: only the hash of each batch. Every recount verifies
///   every recorded proof and applies the revision rule in chain order; anyone can
///   {challengeBallot} a recorded ballot, which verifies its one proof on chain and, if it is
///   invalid, marks it and suspends the relayer account that posted it. A voter can always cast
///   a verified single ballot ({IElection-castBallot}) directly in this mode too.
///
/// Order (docs/PROTOCOL.md, "Ballot modes"): in the recorded mode the records and the verified
/// single ballots of a nullifier form ONE sequence of revisions, in chain order (block, then
/// log index, then position in the batch). A ballot counts if its proof is valid and its
/// revision is exactly the last counted one plus one; every other ballot of the stream (an
/// invalid proof, a duplicate, a stale or skipping revision) is reported by the recount and not
/// counted. The contract does not apply the revision rule in this mode (it keeps no per-voter
/// state): it only refuses revision 0.
///
/// Record layout (`RECORD_BYTES` = 297 bytes, big-endian, no padding): nullifier (32), the
/// packed proof (8 x 32, as docs/PROTOCOL.md packs it), district (1), choice (4), revision (4).
/// The register root is not recorded: registers are frozen before voting opens, so a record's
/// proof is checked against its district's one root.
interface IRecordedBallots {
    /// @notice How an election takes its ballots.
    enum BallotMode {
        /// @notice Every proof is verified on chain; one storage slot per voter.
        Verified,
        /// @notice Authorised relayers record ballots unverified; every recount verifies them.
        Recorded
    }

    /// @notice Where a relayer account stands in a recorded-mode election.
    enum RelayerStatus {
        /// @notice Never authorised: may not post records.
        None,
        /// @notice Authorised by the organizer: may post records.
        Authorized,
        /// @notice Suspended, by the organizer or by a successful challenge: may never post
        /// records again (the organizer authorises a new account instead).
        Suspended
    }

    /// @notice The organizer authorised a relayer account to post records.
    /// @param relayer The account.
    event RelayerAuthorized(address indexed relayer);

    /// @notice A relayer account may post no more records: the organizer suspended it, or a
    /// challenge proved that it recorded an invalid ballot.
    /// @param relayer The account.
    /// @param reason Why, in words anyone can read.
    event RelayerSuspended(address indexed relayer, string reason);

    /// @notice A batch of ballot records was posted; the recount reads the records from here.
    /// @param batch `keccak256(abi.encodePacked(relayer, records))`, the key a challenge uses.
    /// @param relayer The authorised account that posted the batch.
    /// @param records The records, `RECORD_BYTES` each, in the order they were posted.
    event BallotsRecorded(bytes32 indexed batch, address indexed relayer, bytes records);

    /// @notice A challenge proved that a recorded ballot's proof is invalid; the relayer that
    /// posted it is suspended.
    /// @param batch The batch that holds the record.
    /// @param index The record's position in the batch.
    /// @param nullifier The nullifier the record claims.
    /// @param relayer The account that posted the batch.
    event RecordedBallotInvalid(
        bytes32 indexed batch,
        uint256 index,
        uint256 indexed nullifier,
        address indexed relayer
    );

    /// @notice The function is not available in this election's ballot mode.
    /// @param mode The election's mode.
    error WrongBallotMode(BallotMode mode);

    /// @notice The caller is not an authorised relayer account of this election.
    /// @param caller The caller.
    error NotAuthorizedRelayer(address caller);

    /// @notice The relayer account is suspended and may post no more records.
    /// @param relayer The account.
    error SuspendedRelayer(address relayer);

    /// @notice The zero address cannot be a relayer account.
    /// @param relayer The address given.
    error InvalidRelayer(address relayer);

    /// @notice The account is already authorised (or was suspended: a suspension is final).
    /// @param relayer The account.
    /// @param status Its status now.
    error RelayerAlreadyKnown(address relayer, RelayerStatus status);

    /// @notice Only an authorised relayer account can be suspended.
    /// @param relayer The account.
    /// @param status Its status now.
    error RelayerNotAuthorized(address relayer, RelayerStatus status);

    /// @notice Relayer accounts can be authorised or suspended by the organizer only before
    /// voting ends.
    /// @param now The block's timestamp.
    /// @param votingEnd The first second after voting.
    error RelayerChangesClosed(uint64 now, uint64 votingEnd);

    /// @notice The records are not a non-empty whole number of `RECORD_BYTES`-byte records.
    /// @param length The length given, in bytes.
    /// @param recordBytes The size of one record.
    error MalformedRecords(uint256 length, uint256 recordBytes);

    /// @notice More records than {recordBallots} takes at once.
    /// @param count Records given.
    /// @param maximum `MAX_RECORDS_PER_BATCH`.
    error TooManyRecords(uint256 count, uint256 maximum);

    /// @notice A record whose nullifier is not below the scalar field order or whose revision
    /// is 0: no valid ballot has either.
    /// @param index The record's position in the batch.
    /// @param nullifier The nullifier it claims.
    /// @param revision The revision it claims.
    error InvalidRecord(uint256 index, uint256 nullifier, uint32 revision);

    /// @notice No batch with this key was recorded (wrong relayer, or records not as posted).
    /// @param batch The key computed from the challenge's relayer and records.
    error UnknownRecordBatch(bytes32 batch);

    /// @notice The batch has no record at this position.
    /// @param index The position given.
    /// @param count The records in the batch.
    error RecordIndexOutOfRange(uint256 index, uint256 count);

    /// @notice This record was already proven invalid.
    /// @param batch The batch.
    /// @param index The record's position.
    error RecordAlreadyMarked(bytes32 batch, uint256 index);

    /// @notice The challenged record's proof is valid: the challenge is refused, nothing changes.
    /// @param batch The batch.
    /// @param index The record's position.
    /// @param nullifier The record's nullifier.
    error RecordedBallotValid(bytes32 batch, uint256 index, uint256 nullifier);

    /// @notice Too little gas left to verify a proof: a verifier short of gas says "invalid",
    /// so a challenge must bring enough for its answer to mean something.
    /// @param gasLeft Gas left before the verification.
    /// @param required Gas a challenge's verification needs.
    error ChallengeGasTooLow(uint256 gasLeft, uint256 required);

    /// @notice Posts a batch of ballot records (recorded mode only), unverified.
    /// @dev Authorised, unsuspended relayer accounts only, during the voting window. Checks each
    /// record's district (exists, at its minimum), choice (one of its options), nullifier
    /// (below the field order) and revision (not 0), refusing the whole batch otherwise;
    /// stores `batch => block number` and emits {BallotsRecorded}. No proof is verified and no
    /// per-voter state is kept: the recount verifies every proof and orders revisions.
    /// @param records 1 to `MAX_RECORDS_PER_BATCH` records of `RECORD_BYTES` bytes each.
    /// @return batch The batch's key, `keccak256(abi.encodePacked(msg.sender, records))`.
    function recordBallots(bytes calldata records) external returns (bytes32 batch);

    /// @notice Verifies one recorded ballot's proof on chain. Anyone may call it, at any time.
    /// @dev Invalid: marks the record, suspends `relayer` (if not yet suspended) and emits
    /// {RecordedBallotInvalid} (and {RelayerSuspended}). Valid: reverts with
    /// {RecordedBallotValid}. The proof is checked against the record's district root, its
    /// nullifier, its message (district, revision, choice) and this election's scope.
    /// @param relayer The account that posted the batch.
    /// @param records The batch's records exactly as posted (from its {BallotsRecorded}).
    /// @param index The challenged record's position in the batch.
    function challengeBallot(address relayer, bytes calldata records, uint256 index) external;

    /// @notice Authorises `relayer` to post records (recorded mode only).
    /// @dev Organizer only, before voting ends. Emits {RelayerAuthorized}. A suspended account
    /// cannot be authorised again.
    /// @param relayer The account to authorise.
    function authorizeRelayer(address relayer) external;

    /// @notice Suspends `relayer`: it may post no more records; its records stay (the recount
    /// verifies them like any other).
    /// @dev Organizer only, before voting ends. Emits {RelayerSuspended}.
    /// @param relayer The authorised account to suspend.
    /// @param reason Why (not empty).
    function suspendRelayer(address relayer, string calldata reason) external;

    /// @notice The election's ballot mode.
    function ballotMode() external view returns (BallotMode);

    /// @notice Where `relayer` stands.
    function relayerStatus(address relayer) external view returns (RelayerStatus);

    /// @notice The block in which batch `batch` was (last) recorded, 0 if never.
    function recordedBatchBlock(bytes32 batch) external view returns (uint256);

    /// @notice Whether a challenge proved record `index` of `batch` invalid.
    function isRecordInvalid(bytes32 batch, uint256 index) external view returns (bool);

    /// @notice The size of one record, in bytes.
    function RECORD_BYTES() external view returns (uint256);

    /// @notice The most records {recordBallots} takes at once.
    function MAX_RECORDS_PER_BATCH() external view returns (uint256);
}

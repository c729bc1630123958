// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Encrypted ballots: the choice travels as an exponential ElGamal ciphertext.
/// @notice An election's ballot secrecy is fixed at deployment and pinned by the definition
/// hash (`ballot_secrecy` in the definition):
///
/// - Plain: a ballot carries its choice ({IElection-castBallot}); everyone can tally as
///   ballots arrive.
/// - Encrypted: a ballot carries, instead of a choice, a ciphertext of 1088 bytes (34 words:
///   `R.x, R.y, C_0.x, C_0.y, ..., C_15.x, C_15.y` on Baby Jubjub) under the election key whose
///   16 option keys hash to {electionKeyHash}. Its proof (39 public signals: `merkleRoot,
///   nullifier`, the 34 ciphertext words, `H(message)`, `H(scope)`, `options`) shows that the
///   ciphertext encrypts exactly one 1 among the district's `options` (read by the contract
///   from the district's option count, never from the voter) and that the message binds
///   district and revision (choice field 0). The recount sums the counted ballots'
///   ciphertexts per district; after voting the trustees publish partial decryptions of the
///   sums ({publishDecryption}), which the recount checks (DLEQ) and combines.
///
/// The contract keeps, per voter in the verified mode, the usual {IElection-Ballot} slot
/// (choice 0) and the keccak256 of the ballot's ciphertext ({ciphertextHashOf}); the
/// ciphertext itself is only in the {EncryptedBallotCast} event (or the recorded batch). In
/// the recorded mode a record is 1381 bytes: nullifier 32, proof 256, district 1, revision 4,
/// ciphertext 1088 ({IRecordedBallots}).
interface IEncryptedBallots {
    /// @notice What a ballot carries.
    enum BallotSecrecy {
        /// @notice The choice, in plain text.
        Plain,
        /// @notice An ElGamal encryption of the choice under the election key.
        Encrypted
    }

    /// @notice The election's ballot secrecy, a constructor argument.
    struct Secrecy {
        /// @notice Plain or encrypted.
        BallotSecrecy ballotSecrecy;
        /// @notice keccak256 of the 16 option keys (x || y, 32-byte big-endian each, 1024
        /// bytes); zero in a plain election, never zero in an encrypted one.
        bytes32 electionKeyHash;
    }

    /// @notice One encrypted ballot, for {castEncryptedBallot} and {castEncryptedBallots}.
    struct EncryptedBallotInput {
        /// @notice The district the ballot counts in.
        uint32 district;
        /// @notice The ballot's revision: the stored one plus one.
        uint32 revision;
        /// @notice The district register's root the proof was made against.
        uint256 merkleRoot;
        /// @notice The voter's nullifier in this election.
        uint256 nullifier;
        /// @notice The Groth16 proof, packed as in docs/PROTOCOL.md.
        uint256[8] proof;
        /// @notice The ciphertext `R.x, R.y, C_0.x, C_0.y, ..., C_15.x, C_15.y`.
        uint256[34] ciphertext;
    }

    /// @notice An encrypted ballot was accepted (verified single or batched ballot).
    /// @param nullifier The voter's nullifier.
    /// @param district The district the ballot counts in.
    /// @param revision The ballot's revision.
    /// @param merkleRoot The register root the proof was made against.
    /// @param proof The packed proof.
    /// @param ciphertext The ciphertext, as sent.
    event EncryptedBallotCast(
        uint256 indexed nullifier,
        uint32 indexed district,
        uint32 revision,
        uint256 merkleRoot,
        uint256[8] proof,
        uint256[34] ciphertext
    );

    /// @notice A trustee's partial decryptions of every district's sums were published.
    /// @param trustee The trustee's index (1..n) in the election key file.
    /// @param sender Whoever sent them (anyone may: the DLEQ proofs are the authority).
    /// @param data For each district in order, for each option below its option count:
    /// `D.x | D.y | c | s`, 128 bytes.
    event DecryptionPublished(uint8 indexed trustee, address indexed sender, bytes data);

    /// @notice The function belongs to the other ballot secrecy.
    /// @param secrecy The election's ballot secrecy.
    error WrongBallotSecrecy(BallotSecrecy secrecy);

    /// @notice A plain election has no election key; an encrypted one must name its key.
    /// @param secrecy The secrecy given.
    /// @param electionKeyHash The key hash given.
    error InvalidElectionKeyHash(BallotSecrecy secrecy, bytes32 electionKeyHash);

    /// @notice An encrypted ballot holds at most `maximum` options per district.
    /// @param district The district.
    /// @param optionCount Its option count.
    /// @param maximum {MAX_ENCRYPTED_OPTIONS}.
    error TooManyEncryptedOptions(uint32 district, uint32 optionCount, uint256 maximum);

    /// @notice Partial decryptions are published from the end of voting until the result.
    /// @param now The block's timestamp.
    /// @param votingEnd The first second after voting.
    /// @param resultHash The published result (zero if none yet).
    error DecryptionClosed(uint64 now, uint64 votingEnd, bytes32 resultHash);

    /// @notice Trustees are numbered from 1.
    /// @param trustee The index given.
    error InvalidTrustee(uint8 trustee);

    /// @notice Partial decryptions must be 128 bytes for every option of every district.
    /// @param length The length given.
    /// @param expected {decryptionBytes}.
    error MalformedDecryption(uint256 length, uint256 expected);

    /// @notice Casts one encrypted ballot, its proof checked at once.
    /// @dev Encrypted elections only. Checks, in order: window, district (exists, at its
    /// minimum), root, revision (verified mode: the stored one plus one; recorded mode: not 0),
    /// proof; then (verified mode) stores the ballot and its ciphertext's hash, and emits
    /// {EncryptedBallotCast}. Send with explicit gas: the verifier answers "invalid" when
    /// short of gas.
    /// @param ballot The ballot.
    function castEncryptedBallot(EncryptedBallotInput calldata ballot) external;

    /// @notice Casts a batch of encrypted ballots with one check for all their proofs, as
    /// {IElection-castBallots} does for plain ones (verified mode only).
    /// @param ballots 1 to `MAX_BALLOTS_PER_BATCH` ballots, in order.
    function castEncryptedBallots(EncryptedBallotInput[] calldata ballots) external;

    /// @notice Publishes a trustee's partial decryptions (encrypted elections, from the end of
    /// voting until the result is published). Emits {DecryptionPublished}; stores nothing.
    /// @param trustee The trustee's index, from 1.
    /// @param data {decryptionBytes} bytes (see {DecryptionPublished}).
    function publishDecryption(uint8 trustee, bytes calldata data) external;

    /// @notice The election's ballot secrecy.
    function ballotSecrecy() external view returns (BallotSecrecy);

    /// @notice keccak256 of the election key's 16 option keys (zero in a plain election).
    function electionKeyHash() external view returns (bytes32);

    /// @notice keccak256 of the ciphertext of the ballot stored for `nullifier` (verified
    /// mode; zero if none).
    function ciphertextHashOf(uint256 nullifier) external view returns (bytes32);

    /// @notice The length {publishDecryption} takes: 128 times the sum of the option counts.
    function decryptionBytes() external view returns (uint256);

    /// @notice The size of one of this election's records: 297 plain, 1381 encrypted.
    function recordBytes() external view returns (uint256);

    /// @notice The most options a district of an encrypted election may have (16).
    function MAX_ENCRYPTED_OPTIONS() external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";
import {IElection} from "./interfaces/IElection.sol";
import {IGroth16Verifier} from "./interfaces/IGroth16Verifier.sol";
import {BallotEncoding} from "./libraries/BallotEncoding.sol";

/// @title A Veche election: one register, one set of options, one voting window.
/// @notice See {IElection}. The deployer is the organizer.
/// @dev The register is a LeanIMT hashed with the linked `PoseidonT3` library: the deployer
/// must deploy `PoseidonT3` and link its address into this contract's bytecode.
contract Election is IElection {
    using InternalLeanIMT for LeanIMTData;

    /// @notice The largest register the ballot circuit admits (a tree of depth 20).
    uint256 public constant MAX_MEMBERS = 1 << 20;

    // Everything fixed at deployment is immutable: read from code, not storage, on every ballot.
    address private immutable _organizer;
    IGroth16Verifier private immutable _verifier;
    uint64 private immutable _registrationStart;
    uint64 private immutable _registrationEnd;
    uint64 private immutable _votingStart;
    uint64 private immutable _votingEnd;
    uint32 private immutable _optionCount;
    uint256 private immutable _scope;
    uint256 private immutable _scopeSignal;

    // Storage order matters to tests that fake a full register (`_register.size` is slot 1).
    string[] private _options;
    LeanIMTData private _register;
    mapping(address account => bool authorized) private _registrars;
    mapping(uint256 nullifier => Ballot ballot) private _ballots;
    uint256 private _ballotCount;

    /// @notice Creates an election whose organizer is the deployer.
    /// @param verifier_ The Groth16 verifier of the ballot circuit (depth 20).
    /// @param calendar_ The calendar; see {IElection.Calendar} for its ordering.
    /// @param options_ The options' labels, in choice order: 2 to 2^32 - 1 non-empty labels.
    /// @param registrars_ The registrars authorised from the start (may be empty).
    constructor(
        IGroth16Verifier verifier_,
        Calendar memory calendar_,
        string[] memory options_,
        address[] memory registrars_
    ) {
        if (address(verifier_) == address(0)) revert InvalidVerifier(address(verifier_));
        if (
            calendar_.registrationStart >= calendar_.registrationEnd ||
            calendar_.registrationEnd > calendar_.votingStart ||
            calendar_.votingStart >= calendar_.votingEnd
        ) {
            revert InvalidCalendar(
                calendar_.registrationStart,
                calendar_.registrationEnd,
                calendar_.votingStart,
                calendar_.votingEnd
            );
        }
        if (options_.length < 2 || options_.length > type(uint32).max) {
            revert InvalidOptionCount(options_.length);
        }
        for (uint256 i = 0; i < options_.length; ++i) {
            if (bytes(options_[i]).length == 0) revert EmptyOption(i);
            _options.push(options_[i]);
        }

        _organizer = msg.sender;
        _verifier = verifier_;
        _registrationStart = calendar_.registrationStart;
        _registrationEnd = calendar_.registrationEnd;
        _votingStart = calendar_.votingStart;
        _votingEnd = calendar_.votingEnd;
        _optionCount = uint32(options_.length);
        // Fixed with the chain id at deployment: a proof is bound to this address on this chain.
        // (After a chain split both copies keep the original chain id; the recount reads one.)
        uint256 electionScope = BallotEncoding.electionScope(block.chainid, address(this));
        _scope = electionScope;
        _scopeSignal = BallotEncoding.hashToField(electionScope);

        for (uint256 i = 0; i < registrars_.length; ++i) {
            _authorizeRegistrar(registrars_[i]);
        }
    }

    /// @inheritdoc IElection
    function authorizeRegistrar(address registrar) external {
        _requireOrganizerBeforeRegistrationEnd();
        _authorizeRegistrar(registrar);
    }

    /// @inheritdoc IElection
    function revokeRegistrar(address registrar) external {
        _requireOrganizerBeforeRegistrationEnd();
        if (!_registrars[registrar]) revert RegistrarNotAuthorized(registrar);
        _registrars[registrar] = false;
        emit RegistrarRevoked(registrar);
    }

    /// @inheritdoc IElection
    function addMembers(uint256[] calldata commitments) external {
        if (!_registrars[msg.sender]) revert NotRegistrar(msg.sender);
        uint64 now_ = _now();
        if (now_ < _registrationStart || now_ >= _registrationEnd) {
            revert RegistrationClosed(now_, _registrationStart, _registrationEnd);
        }
        uint256 batchSize = commitments.length;
        if (batchSize == 0) revert EmptyBatch();
        uint256 firstIndex = _register.size;
        // firstIndex <= MAX_MEMBERS always holds, so the subtraction cannot underflow.
        if (batchSize > MAX_MEMBERS - firstIndex) {
            revert RegisterFull(firstIndex, batchSize, MAX_MEMBERS);
        }
        for (uint256 i = 0; i < batchSize; ++i) {
            _requireNewCommitment(commitments[i]);
        }

        uint256 root = _register._insertMany(commitments);

        for (uint256 i = 0; i < batchSize; ++i) {
            emit MemberAdded(firstIndex + i, commitments[i], root, msg.sender);
        }
    }

    /// @inheritdoc IElection
    function castBallot(
        uint256 merkleRoot_,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) external {
        uint64 now_ = _now();
        if (now_ < _votingStart || now_ >= _votingEnd) {
            revert VotingClosed(now_, _votingStart, _votingEnd);
        }
        if (choice >= _optionCount) revert UnknownChoice(choice, _optionCount);
        uint256 root = _register._root();
        if (merkleRoot_ != root) revert RootMismatch(merkleRoot_, root);
        Ballot storage stored = _ballots[nullifier];
        uint32 storedRevision = stored.revision;
        if (revision <= storedRevision) revert StaleRevision(nullifier, revision, storedRevision);
        if (!_verifyBallotProof(merkleRoot_, nullifier, choice, revision, proof)) {
            revert InvalidProof(nullifier);
        }

        if (storedRevision == 0) {
            // At most one increment per distinct nullifier: cannot overflow a uint256.
            unchecked {
                ++_ballotCount;
            }
        }
        stored.choice = choice;
        stored.revision = revision;
        stored.castAt = now_;
        emit BallotCast(nullifier, choice, revision, merkleRoot_, proof);
    }

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
        return Calendar(_registrationStart, _registrationEnd, _votingStart, _votingEnd);
    }

    /// @inheritdoc IElection
    function options() external view returns (string[] memory) {
        return _options;
    }

    /// @inheritdoc IElection
    function optionCount() external view returns (uint32) {
        return _optionCount;
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
    function merkleRoot() external view returns (uint256) {
        return _register._root();
    }

    /// @inheritdoc IElection
    function memberCount() external view returns (uint256) {
        return _register.size;
    }

    /// @inheritdoc IElection
    function isRegistrar(address account) external view returns (bool) {
        return _registrars[account];
    }

    /// @inheritdoc IElection
    function ballotOf(uint256 nullifier) external view returns (Ballot memory) {
        return _ballots[nullifier];
    }

    /// @inheritdoc IElection
    function ballotCount() external view returns (uint256) {
        return _ballotCount;
    }

    /// @dev Shared by the constructor (no organizer or window check) and {authorizeRegistrar}.
    function _authorizeRegistrar(address registrar) private {
        if (registrar == address(0)) revert InvalidRegistrar(registrar);
        if (_registrars[registrar]) revert RegistrarAlreadyAuthorized(registrar);
        _registrars[registrar] = true;
        emit RegistrarAuthorized(registrar);
    }

    /// @dev Registrars are fixed once registration ends, so the register's authors are known
    /// to everyone before the first ballot.
    function _requireOrganizerBeforeRegistrationEnd() private view {
        if (msg.sender != _organizer) revert NotOrganizer(msg.sender);
        uint64 now_ = _now();
        if (now_ >= _registrationEnd) revert RegistrarChangesClosed(now_, _registrationEnd);
    }

    /// @dev Refuses, with the offending value, a commitment that LeanIMT would refuse without
    /// one. A commitment repeated inside one batch is left to LeanIMT's `LeafAlreadyExists()`:
    /// catching it here too would take transient storage or a quadratic scan, for a mistake
    /// that only the registrar's own software can make.
    function _requireNewCommitment(uint256 commitment) private view {
        if (commitment == 0 || commitment >= BallotEncoding.SNARK_SCALAR_FIELD) {
            revert InvalidCommitment(commitment);
        }
        if (_register._has(commitment)) revert DuplicateCommitment(commitment);
    }

    /// @dev Unpacks the proof as docs/PROTOCOL.md packs it (G2 imaginary part first, as the
    /// snarkjs verifier expects) and binds it to the ballot's message and this election's scope.
    /// Returns the verifier's answer, which is false also when the verifier ran out of gas.
    function _verifyBallotProof(
        uint256 root,
        uint256 nullifier,
        uint32 choice,
        uint32 revision,
        uint256[8] calldata proof
    ) private view returns (bool) {
        uint256 messageSignal = BallotEncoding.hashToField(
            BallotEncoding.packMessage(choice, revision)
        );
        return
            _verifier.verifyProof(
                [proof[0], proof[1]],
                [[proof[2], proof[3]], [proof[4], proof[5]]],
                [proof[6], proof[7]],
                [root, nullifier, messageSignal, _scopeSignal]
            );
    }

    /// @dev Block timestamps fit in 64 bits for the next 500 billion years.
    function _now() private view returns (uint64) {
        return uint64(block.timestamp);
    }
}

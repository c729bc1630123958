// The observers' running tally (frontend/src/observer/tally.js) in an encrypted election:
// encrypted ballots count towards turnout like plain ones (no choice is read), and trustees'
// published decryptions are noted.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { test } from "node:test"
import { emptyTally, foldEvents } from "../../frontend/src/observer/tally.js"

const CALENDAR = { registrationStart: 0, registrationEnd: 100, votingStart: 200, votingEnd: 300 }

test("encrypted ballots count as ballots and voters; decryptions are noted by trustee", () => {
    const tally = emptyTally(2, CALENDAR)
    foldEvents(tally, [
        { name: "EncryptedBallotCast", time: 210, args: { district: 1n, revision: 1n, nullifier: 7n } },
        { name: "EncryptedBallotCast", time: 220, args: { district: 1n, revision: 2n, nullifier: 7n } },
        { name: "BallotCast", time: 230, args: { district: 0n, revision: 1n, nullifier: 8n } },
        { name: "DecryptionPublished", time: 310, args: { trustee: 3n, sender: "0x00" } },
        { name: "DecryptionPublished", time: 311, args: { trustee: 1n, sender: "0x00" } },
    ])
    assert.deepEqual(
        tally.districts.map((d) => [d.voters, d.ballots]),
        [[1, 1], [1, 2]],
    )
    assert.equal(tally.eventCounts.BallotCast, 3)
    assert.deepEqual(tally.decryptions.map((d) => d.trustee), [3, 1])
})

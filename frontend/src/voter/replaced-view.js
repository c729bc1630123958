// The holder's warning after a key recovery: if the register now holds another key in place of
// this one (`MemberReplaced` with this key's public number as the old one), this key can no
// longer vote, and its holder must hear it at once: either they asked for it (a lost key, and
// this is the lost one, found again), or someone used their documents to take their vote.
// The page asks the ledger for every replacement (few, and the same request for everyone) and
// compares locally: nothing it sends names this key.
import { byId, el, formatTime, setVisible } from "../lib/dom.js"
import { language, onLanguageChange, t } from "../lib/i18n.js"
import { districtName } from "../lib/definition.js"
import { onSessionChange, session } from "./session.js"

let found = null

export function setupReplacedWarning() {
    onSessionChange(check)
    onLanguageChange(render)
}

/** Looks for this key among the replaced ones (on every identity or election change, and on
 * each poll of the phase). */
export async function check() {
    const { identity, election } = session
    if (identity === null || election === null) {
        found = null
        render()
        return
    }
    try {
        const mine = BigInt(identity.commitment)
        const replaced = (await election.reader.replacements()).filter((e) => BigInt(e.args.oldCommitment) === mine)
        if (session.identity !== identity) return // the voter changed keys meanwhile
        found = replaced.at(-1) ?? null
    } catch {
        return // a passing RPC failure: the next poll looks again
    }
    render()
}

function render() {
    const box = byId("replaced-warning")
    setVisible(box, found !== null)
    if (found === null) {
        box.replaceChildren()
        box.removeAttribute("data-replaced")
        return
    }
    const args = found.args
    const params = {
        time: found.time === null ? "?" : formatTime(found.time, language()),
        district: districtName(session.election.definition, Number(args.district)),
        count: args.approvers.length,
    }
    const fold = el("details", "", { class: "expert" })
    fold.append(el("summary", t("details")), el("p", t("replaced.expert", {
        index: String(args.index),
        newCommitment: String(args.newCommitment),
        approvers: [...args.approvers].join(", "),
    })))
    box.dataset.replaced = String(args.newCommitment)
    box.replaceChildren(
        el("strong", t("replaced.title")),
        el("p", t("replaced.body", params)),
        el("p", t("replaced.action")),
        fold,
    )
}

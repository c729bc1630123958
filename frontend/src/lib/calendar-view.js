// The election's phase and calendar as a definition list, in the page's language.
import { definitionList, formatTime } from "./dom.js"
import { language, t } from "./i18n.js"
import { phaseName } from "./protocol.js"

const FIELDS = ["registrationStart", "registrationEnd", "votingStart", "votingEnd", "appealsEnd"]

/** Fills `container` with the current phase and every date of the calendar. */
export function renderCalendar(container, state) {
    const phase = document.createElement("p")
    phase.textContent = t("election.phase", { phase: t(`phase.${phaseName(state.phase, state.resultHash !== null)}`) })
    phase.dataset.phase = String(state.phase)
    const heading = document.createElement("h3")
    heading.textContent = t("calendar.heading")
    const rows = FIELDS.map((field) => [
        field,
        t(`calendar.${field}`),
        formatTime(state.calendar[field], language()),
    ])
    container.replaceChildren(phase, heading, definitionList(rows))
}

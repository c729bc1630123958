// What the voter page knows right now. Nothing here leaves the device, and nothing is written to
// the browser's storage except the identity, and only when the voter ticks "keep my key".

export const session = {
    /** @type {import("@semaphore-protocol/identity").Identity | null} */
    identity: null,
    /** The opened election (config, reader, state, definition), or null until it loads. */
    election: null,
    /** The last receipt: {nullifier, district, choice, revision, relayer, status, ...}. */
    receipt: null,
    listeners: [],
}

/** Calls `listener` whenever the identity or the election changes. */
export function onSessionChange(listener) {
    session.listeners.push(listener)
}

export function sessionChanged() {
    for (const listener of session.listeners) listener()
}

// The voter's identity: a Semaphore v4 private key made and kept in this browser. It is written
// to the browser's storage only if the voter asks for it; otherwise it lives in memory and is
// gone when the tab closes (the voter keeps the backup: backup.js).
import { Identity } from "@semaphore-protocol/identity"
import { restoreIdentity } from "./backup.js"

const STORAGE_KEY = "veche.identity"

/** A new identity from the browser's cryptographic random generator. */
export function createIdentity() {
    return new Identity()
}

/** The backup text of an identity: what the voter writes down or saves. */
export function backupOf(identity) {
    return identity.export()
}

/** The identity kept in this browser, if the voter agreed to keep one. */
export function storedIdentity() {
    const backup = localStorage.getItem(STORAGE_KEY)
    return backup === null ? null : restoreIdentity(backup)
}

/** Keeps (or, with null, forgets) the identity in this browser's storage. */
export function storeIdentity(identity) {
    if (identity === null) localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, backupOf(identity))
}

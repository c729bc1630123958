// One error type for everything the page explains to a voter: `code` names a message in
// strings.js and `params` fill it, so every failure reaches the screen as a sentence in the
// voter's language, never as a stack trace.

export class PageError extends Error {
    /**
     * @param {string} code key of the message in strings.js (e.g. "error.notRegistered")
     * @param {Record<string, string | number>} [params] values for the message's {placeholders}
     */
    constructor(code, params = {}) {
        super(`${code} ${JSON.stringify(params)}`)
        this.name = "PageError"
        this.code = code
        this.params = params
    }
}

/** Any thrown value as a PageError; unknown failures keep their text as `detail`. */
export function asPageError(error) {
    if (error instanceof PageError) return error
    return new PageError("error.unexpected", { detail: String(error?.message ?? error) })
}

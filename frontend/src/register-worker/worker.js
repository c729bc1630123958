// The register's second core: hashes the lower levels of one half of a district's register
// (register-tree.js sends the compiled hasher, the half's commitments and the level to stop at)
// and sends the levels back.
import { RegisterTree } from "../lib/register-tree.js"

self.onmessage = async ({ data }) => {
    try {
        const tree = await RegisterTree.build(data.hasher, new Uint8Array(data.body), data.count, { upTo: data.upTo })
        const levels = tree.levelBytes(data.upTo)
        self.postMessage({ levels }, [levels])
    } catch (error) {
        self.postMessage({ error: String(error?.message ?? error) })
    }
}

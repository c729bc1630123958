// Reads QR codes from the device's camera, in the browser: zxing-wasm (zxing-cpp compiled to
// WebAssembly, the decoder `veche registrar add --holder-qr` runs in Python). The WebAssembly
// file is served next to the page: the library's default (a public CDN) would tell a third
// party who opens the desk, and fail offline. Frames never leave the device.
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader"
import { PageError } from "./errors.js"

let prepared = false

function prepare() {
    if (prepared) return
    prepareZXingModule({
        overrides: {
            locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(path, document.baseURI).href : prefix + path),
        },
        fireImmediately: true,
    })
    prepared = true
}

/** Frames a second the camera is read at: enough to catch a code held up, light on a phone. */
const FRAMES_PER_SECOND = 5

/**
 * Opens the camera into `video` and calls `accept(text)` with each QR code seen, until
 * `accept` returns a value other than undefined (which `scan` then resolves with) or
 * `signal` aborts. The camera is switched off when the scan ends, whichever way.
 * @returns {Promise<any>}
 */
export async function scan(video, accept, signal) {
    prepare()
    if (!navigator.mediaDevices?.getUserMedia) throw new PageError("error.noCamera", { detail: "getUserMedia" })
    let stream
    try {
        stream = await navigator.mediaDevices.getUserMedia({
            video: { facingMode: "environment" },
            audio: false,
        })
    } catch (error) {
        throw new PageError("error.noCamera", { detail: String(error?.name ?? error) })
    }
    const canvas = document.createElement("canvas")
    const context = canvas.getContext("2d", { willReadFrequently: true })
    try {
        video.srcObject = stream
        video.hidden = false
        await video.play()
        while (!signal?.aborted) {
            await new Promise((resolve) => setTimeout(resolve, 1000 / FRAMES_PER_SECOND))
            if (video.videoWidth === 0) continue
            canvas.width = video.videoWidth
            canvas.height = video.videoHeight
            context.drawImage(video, 0, 0)
            const frame = context.getImageData(0, 0, canvas.width, canvas.height)
            const codes = await readBarcodes(frame, { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 })
            for (const code of codes) {
                if (!code.isValid) continue
                const result = accept(code.text)
                if (result !== undefined) return result
            }
        }
        return undefined
    } finally {
        for (const track of stream.getTracks()) track.stop()
        video.srcObject = null
        video.hidden = true
    }
}

// Numbers as QR codes (the commitment, the signed challenge), so a registrar can scan them
// instead of copying 77-digit numbers.
import QRCode from "qrcode"

/** Draws `text` as a QR code into `container` (an SVG made by the qrcode library). */
export async function renderQr(container, text, label) {
    const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 })
    container.innerHTML = svg
    const image = container.querySelector("svg")
    image.setAttribute("role", "img")
    image.setAttribute("aria-label", label)
}

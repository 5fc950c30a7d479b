/**
 * A QR code as a data: URL image. The page's CSP allows `img-src data:` and its Trusted
 * Types forbid HTML strings in the DOM, so the SVG is drawn as a string by `qrcode` and
 * shown through <img src>, never inserted as markup (an SVG in an <img> runs nothing).
 */
import QRCode from 'qrcode';

export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

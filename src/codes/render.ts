/**
 * The code as the till's scanner reads it: Code 128 (every 1D scanner in a Japanese
 * convenience store reads it; an all-digit code packs two digits per symbol) with the
 * digits printed below for typing by hand, and a QR code for 2D scanners. Drawn by
 * well-kept libraries (bwip-js, qrcode) as SVG, so the app shows them at any size
 * without blur. Nothing here logs or keeps the code.
 */
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

export function code128Svg(code: string): string {
  return bwipjs.toSVG({ bcid: 'code128', text: code, scale: 2, height: 12, includetext: true, textxalign: 'center', paddingwidth: 10, paddingheight: 4 });
}

/** Error correction M (15 %): survives a cracked screen or glare; a short numeric code stays a small symbol. */
export function qrSvg(code: string): Promise<string> {
  return QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

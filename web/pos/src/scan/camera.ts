/**
 * Reading the customer's code with the register's camera. The browser's own
 * `BarcodeDetector` where it has one (Chrome on Android, ChromeOS and macOS) and it reads
 * Code 128 or QR; elsewhere the ZXing decoder, loaded only when the camera is first used
 * so the page itself stays small. Only a Konpay code (`99` and 18 digits) is taken: the
 * camera may also see the goods' own barcodes.
 */
export const PAYMENT_CODE = /^99[0-9]{18}$/;

/** Stops the camera and the decoding loop. */
export type StopScan = () => void;

interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorApi {
  getSupportedFormats(): Promise<string[]>;
  new (opts: { formats: string[] }): { detect(source: HTMLVideoElement): Promise<DetectedBarcode[]> };
}

export function cameraAvailable(): boolean {
  return typeof navigator.mediaDevices?.getUserMedia === 'function';
}

async function nativeDetector(): Promise<InstanceType<BarcodeDetectorApi> | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorApi }).BarcodeDetector;
  if (!Detector) return undefined;
  const formats = (await Detector.getSupportedFormats()).filter((f) => f === 'code_128' || f === 'qr_code');
  return formats.length > 0 ? new Detector({ formats }) : undefined;
}

const BACK_CAMERA: MediaStreamConstraints = { video: { facingMode: 'environment' }, audio: false };

export async function startScan(video: HTMLVideoElement, onCode: (code: string) => void): Promise<StopScan> {
  const detector = await nativeDetector();
  if (!detector) return startZxing(video, onCode);
  const stream = await navigator.mediaDevices.getUserMedia(BACK_CAMERA);
  video.srcObject = stream;
  await video.play();
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const tick = async () => {
    if (stopped) return;
    // A frame that cannot be read (the video not ready yet) is simply the next one's turn.
    const found = await detector.detect(video).catch(() => []);
    const hit = found.map((b) => b.rawValue.trim()).find((v) => PAYMENT_CODE.test(v));
    if (hit) {
      stop();
      onCode(hit);
    } else if (!stopped) setTimeout(() => void tick(), 150);
  };
  void tick();
  return stop;
}

async function startZxing(video: HTMLVideoElement, onCode: (code: string) => void): Promise<StopScan> {
  const { BrowserMultiFormatReader } = await import('@zxing/browser');
  const reader = new BrowserMultiFormatReader();
  let done = false;
  const controls = await reader.decodeFromConstraints(BACK_CAMERA, video, (result, _err, ctl) => {
    const text = result?.getText().trim();
    if (done || !text || !PAYMENT_CODE.test(text)) return;
    done = true;
    ctl.stop();
    onCode(text);
  });
  return () => {
    done = true;
    controls.stop();
  };
}

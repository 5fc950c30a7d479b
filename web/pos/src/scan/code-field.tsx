/**
 * Where the customer's code comes in, three ways: a keyboard-wedge scanner (it types the
 * digits and Enter into the focused field, which submits the form), typed by hand, or
 * the camera. The field takes the focus when shown so the scanner needs no click first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocale } from '../i18n/i18n.js';
import { toAsciiDigits } from '../money.js';
import { InputError } from '../problems.js';
import { Field } from '../ui.js';
import { PAYMENT_CODE, cameraAvailable, startScan, type StopScan } from './camera.js';

/** The code as the API wants it: digits only (scanners and people add spaces or hyphens). */
export function normaliseCode(typed: string): string {
  return toAsciiDigits(typed).replace(/[\s-]/g, '');
}

/** Checked here so a typo never reaches Konpay, where unknown codes count towards the terminal's pause. */
export function checkedCode(typed: string): string {
  const code = normaliseCode(typed);
  if (!PAYMENT_CODE.test(code)) throw new InputError('code.invalid');
  return code;
}

export function CodeField({ value, onValue, onScanned, focus = true }: { value: string; onValue(v: string): void; onScanned(code: string): void; focus?: boolean }) {
  const { t } = useLocale();
  const video = useRef<HTMLVideoElement>(null);
  const stop = useRef<StopScan | undefined>(undefined);
  const [camera, setCamera] = useState<'off' | 'starting' | 'on'>('off');
  const [problem, setProblem] = useState<'camera.denied' | 'camera.none'>();

  const stopCamera = () => {
    stop.current?.();
    stop.current = undefined;
    setCamera('off');
  };
  // Leaving the screen turns the camera off.
  useEffect(() => () => stop.current?.(), []);

  const startCamera = async () => {
    setProblem(undefined);
    setCamera('starting');
    try {
      stop.current = await startScan(video.current!, (code) => {
        stop.current = undefined;
        setCamera('off');
        onValue(code);
        onScanned(code);
      });
      setCamera((c) => (c === 'starting' ? 'on' : c));
    } catch (err) {
      setCamera('off');
      setProblem(err instanceof DOMException && err.name === 'NotAllowedError' ? 'camera.denied' : 'camera.none');
    }
  };

  return (
    <div class="code">
      <Field label={t('code.label')} hint={t('code.hint')} name="code" inputMode="numeric" value={value} onValue={onValue} focus={focus} large />
      {cameraAvailable() && (
        <div class="camera">
          <button type="button" class="secondary" disabled={camera === 'starting'} onClick={() => (camera === 'off' ? void startCamera() : stopCamera())}>
            {camera === 'off' ? t('camera.start') : t('camera.stop')}
          </button>
          {/* Present from the start so the decoder has an element to draw into; shown while on. */}
          <video ref={video} class={camera === 'off' ? 'hidden' : 'preview'} aria-label={t('camera.video')} muted playsInline />
          {camera === 'on' && <p class="hint">{t('camera.looking')}</p>}
          {problem && <p class="notice" role="status">{t(problem)}</p>}
        </div>
      )}
    </div>
  );
}

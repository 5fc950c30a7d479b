/**
 * The code as the till reads it: the server's Code 128 and QR drawings, large, black on
 * white; the digits below in groups of four for a cashier typing them; the time left.
 *
 * The drawings are shown as <img> from data: URLs (the page's CSP allows `img-src data:`):
 * an SVG loaded as an image runs no script and reaches nothing, and no HTML string ever
 * meets the DOM, so Trusted Types have nothing to refuse.
 */
import type { PaymentCode } from '../../../shared/contract.js';
import { useLocale } from '../i18n/i18n.js';
import { useServerNow } from './use-payment-code.js';

const svgUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** "9948 2039 1746 5038 2915": four digits a group, as a card number is read out. */
export function groupDigits(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Whole seconds left, rounded down: a fresh 5-minute code reads 5:00, never 5:01. */
function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function CodeView({ code }: { code: PaymentCode }) {
  const { t } = useLocale();
  const now = useServerNow();
  const left = Date.parse(code.expiresAt) - now;
  return (
    <section class="paycode" aria-labelledby="paycode-heading">
      <h2 id="paycode-heading">{t('pay.code.heading')}</h2>
      <div class="symbols">
        <img class="barcode" src={svgUrl(code.barcodeSvg)} alt={t('pay.code.barcode')} />
        <img class="qr" src={svgUrl(code.qrSvg)} alt={t('pay.code.qr')} />
      </div>
      <p class="hint">{t('pay.code.digits')}</p>
      <p class="digits" data-testid="code-digits">{groupDigits(code.code)}</p>
      {/* role=timer: read when asked, not announced every second. */}
      <p class="countdown" role="timer" data-testid="countdown">
        {left > 0 ? t('pay.code.valid', { time: countdown(left) }) : t('pay.code.expired')}
      </p>
    </section>
  );
}

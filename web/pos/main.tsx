import { renderPlaceholder } from '../shared/placeholder.js';

renderPlaceholder({
  title: 'Konpay POS',
  ja: '店舗レジ用の画面は準備中です。レジ連携のない店舗は、ここで支払いの受付・取消・返金と現金チャージを行えるようになります。',
  en: 'The register page is on its way. Stores without an integrated till will take payments, cancel, refund and top up cash here.',
});

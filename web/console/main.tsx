import { renderPlaceholder } from '../shared/placeholder.js';

renderPlaceholder({
  title: 'Konpay console',
  ja: '運用コンソールは準備中です。顧客の検索、凍結・解除、機能の停止スイッチ、Webhook配信、グラフをここで扱えるようになります。',
  en: 'The operations console is on its way: finding customers, freezing and unfreezing, kill switches, webhook deliveries and charts will live here.',
});

/** The POS page's entry: the till, in the register's language. */
import { render } from 'preact';
import { App } from './src/app.js';
import { LocaleProvider } from './src/i18n/i18n.js';
import '../shared/base.css';
import './src/styles.css';

render(<LocaleProvider><App /></LocaleProvider>, document.getElementById('root')!);

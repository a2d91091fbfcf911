// The office's pages (i16office writes them): office(root, me) fills
// root, the page's main element, for the office's token.
import { el, fill } from './api.js';

export function office(root, me) {
	fill(root, el('p', {}, me.name || 'office'));
}

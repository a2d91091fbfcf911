// The page's start: takes the token from the link that signed in,
// asks the server whose it is, and shows the office's pages or the
// school's; without a valid token, the sign-in page.
import {
	api, el, fill, forgetToken, getToken, lang, onUnauthorized, setToken, signOut, t,
} from './api.js';

const root = document.getElementById('app');
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
document.title = t('app');

// A link of hazardctl token create --link ends in #token=SECRET: the
// browser never sends a fragment, and the page keeps the token and
// takes it out of the address bar (and so of the history) at once.
function takeToken() {
	const m = /^#(?:.*&)?token=([^&]*)/.exec(location.hash);
	if (!m)
		return;
	history.replaceState(null, '', location.pathname + location.search);
	const token = decodeURIComponent(m[1]).trim();
	if (token)
		setToken(token);
}

// The sign-in page: where a link comes from, or a token to paste.
function signIn(message) {
	const input = el('input', {
		id: 'token', type: 'password', autocomplete: 'off',
		spellcheck: 'false', placeholder: 'hzd_…',
	});
	const form = el('form', { class: 'card', id: 'signin' },
	    el('h1', {}, t('signInTitle')),
	    message ? el('p', { class: 'error', role: 'alert' }, message) : null,
	    el('p', {}, t('signInText')),
	    el('label', { for: 'token' }, t('token')), input,
	    el('button', { type: 'submit', class: 'primary' }, t('signIn')));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const token = input.value.trim();
		if (!token)
			return;
		setToken(token);
		start();
	});
	fill(root, el('main', {}, form));
}

// A refused token is forgotten; the sign-in page says why.
let signedIn = false;
onUnauthorized(() => {
	forgetToken();
	signedIn = false;
	signIn(t('badToken'));
});

async function start() {
	if (!getToken()) {
		signIn(null);
		return;
	}
	fill(root, el('p', { class: 'loading' }, t('loading')));
	let me;
	try {
		me = await api('GET', '/v1/whoami');
	} catch (e) {
		if (e.status !== 401)
			fill(root, el('p', { class: 'error', role: 'alert' },
			    t('error') + ': ' + e.message));
		return;
	}
	signedIn = true;
	const main = el('main', { id: 'main' });
	const who = me.role === 'office' ? me.name : me.school_name;
	fill(root,
	    el('header', { class: 'bar' },
		el('span', { class: 'title' }, t('app')),
		el('span', { class: 'who', id: 'who' }, who || ''),
		el('button', { type: 'button', id: 'signout',
		    onclick: signOut }, t('signOut'))),
	    main);
	const mod = me.role === 'office' ?
	    await import('./office.js') : await import('./school.js');
	if (signedIn)
		(me.role === 'office' ? mod.office : mod.school)(main, me);
}

takeToken();
start();

// The helpers every page shares: the API with the token the browser
// keeps, the page's words in the reader's language, and elements built
// with text (never HTML: what the server sends is shown as text).

const KEY = 'hazardd.token';

// Chinese unless the browser asks for English.
export const lang = (navigator.language || '').toLowerCase()
	.startsWith('en') ? 'en' : 'zh';

const words = {
	app: { zh: '校园安全隐患', en: 'Campus safety hazards' },
	signOut: { zh: '退出', en: 'Sign out' },
	signInTitle: { zh: '请登录', en: 'Sign in' },
	signInText: {
		zh: '请向区安全办索取登录链接，在本设备上打开；或把令牌粘贴在下面。',
		en: 'Ask the district safety office for your link and open ' +
		    'it on this device, or paste your token below.',
	},
	token: { zh: '令牌', en: 'Token' },
	signIn: { zh: '登录', en: 'Sign in' },
	badToken: {
		zh: '令牌无效或已被收回，请向区安全办索取新的链接。',
		en: 'The token is not valid or was revoked: ask the office ' +
		    'for a new link.',
	},
	loading: { zh: '加载中…', en: 'Loading…' },
	error: { zh: '出错了', en: 'Something went wrong' },
	offline: { zh: '无法连接服务器', en: 'The server cannot be reached' },
	none: { zh: '无', en: 'none' },
	open: { zh: '待整改', en: 'open' },
	rectified: { zh: '待验收', en: 'rectified' },
	closed: { zh: '已销号', en: 'closed' },
	cancelled: { zh: '已撤销', en: 'cancelled' },
	general: { zh: '一般', en: 'general' },
	major: { zh: '重大', en: 'major' },
	hazard: { zh: '隐患', en: 'hazard' },
	finding: { zh: '问题', en: 'finding' },
	// The fields and buttons of a hazard both pages name alike.
	category: { zh: '类别', en: 'Category' },
	location: { zh: '位置', en: 'Location' },
	deadline: { zh: '整改期限', en: 'Deadline' },
	state: { zh: '状态', en: 'State' },
	reportedAt: { zh: '上报时间', en: 'Reported' },
	photos: { zh: '照片', en: 'Photos' },
	back: { zh: '← 返回', en: '← Back' },
	more: { zh: '更多', en: 'More' },
};

// The page's word for key in the reader's language (the key itself if
// there is none); {0}, {1}... are replaced by the arguments.
export function t(key, ...args) {
	const w = words[key];
	let s = w ? w[lang] : key;
	args.forEach((a, i) => { s = s.replace('{' + i + '}', String(a)); });
	return s;
}

// Adds a page's own words ({key: {zh, en}}) to those t() knows; a
// key of the shared ones it says in the page's own way.
export function addWords(table) {
	Object.assign(words, table);
}

export function stateName(code) { return words[code] ? t(code) : code; }
export function gradeName(code) { return words[code] ? t(code) : code; }
export function kindName(code) { return words[code] ? t(code) : code; }

// The categories of the server's vocabulary, [{code, zh, en,
// department}], asked for once.
let categories = null;
export async function loadCategories() {
	if (categories === null) {
		const r = await api('GET', '/v1/categories');
		categories = r.categories || [];
	}
	return categories;
}

// A category's name in the reader's language, or its code (one the
// server does not name, or before loadCategories()).
export function categoryName(code) {
	const c = (categories || []).find((x) => x.code === code);
	return c ? c[lang] || code : code;
}

// The blob: URL of a blob (a photo) for the page shown; forgetURLs()
// lets them all go when it changes.
let urls = [];
export function blobURL(blob) {
	const u = URL.createObjectURL(blob);
	urls.push(u);
	return u;
}

export function forgetURLs() {
	urls.forEach((u) => URL.revokeObjectURL(u));
	urls = [];
}

// A time of the API (RFC 3339, in the server's zone) as people read
// it, "2026-11-25 09:30"; a date as it is; nothing as a dash.
export function fmtDate(s) {
	if (s === null || s === undefined || s === '')
		return '—';
	const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(s);
	if (!m)
		return String(s);
	return m[2] ? m[1] + ' ' + m[2] : m[1];
}

// The token the browser keeps, or null.
export function getToken() {
	return localStorage.getItem(KEY);
}

export function setToken(token) {
	localStorage.setItem(KEY, token);
}

export function forgetToken() {
	localStorage.removeItem(KEY);
}

// Forgets the token and shows the sign-in page.
export function signOut() {
	forgetToken();
	location.replace(location.pathname);
}

// What to do when the server refuses the token (app.js: sign in again).
let unauthorized = () => {};
export function onUnauthorized(fn) {
	unauthorized = fn;
}

// An Error of the API: status, the server's code and its message.
function apiError(status, body) {
	const e = body && body.error ? body.error : {};
	const err = new Error(e.message || 'HTTP ' + status);
	err.status = status;
	err.code = e.code || '';
	err.field = e.field || null;
	return err;
}

// Sends a request with the token, and returns its JSON (or, as blob,
// its body as a Blob).
async function send(method, path, body, type, blob) {
	const headers = {};
	const token = getToken();
	if (token)
		headers.Authorization = 'Bearer ' + token;
	if (type)
		headers['Content-Type'] = type;
	let res;
	try {
		// Relative to the page: hazardd may be behind a proxy's path.
		res = await fetch(path.replace(/^\//, ''), {
			method, headers, body, cache: 'no-store',
			credentials: 'omit', referrerPolicy: 'no-referrer',
		});
	} catch (e) {
		const err = new Error(t('offline'));
		err.status = 0;
		err.code = 'offline';
		throw err;
	}
	if (res.ok && blob)
		return res.blob();
	let json = null;
	const ctype = res.headers.get('Content-Type') || '';
	if (ctype.startsWith('application/json'))
		json = await res.json();
	if (!res.ok) {
		const err = apiError(res.status, json);
		if (res.status === 401)
			unauthorized(err);
		throw err;
	}
	return json;
}

// A request of the API with a JSON body (or none); its answer parsed.
// Throws an Error with .status, .code and .message (the server's).
export function api(method, path, body) {
	if (body === undefined || body === null)
		return send(method, path, null, null);
	return send(method, path, JSON.stringify(body), 'application/json');
}

// Sends a file (a photo) as the raw body of a POST, with its own type.
export function upload(path, file) {
	return send('POST', path, file,
	    file.type || 'application/octet-stream');
}

// The body of a GET as a Blob: a photo, which an <img> cannot fetch
// itself since it would not send the token.
export function getBlob(path) {
	return send('GET', path, null, null, true);
}

// An element: attributes (class, on... handlers, style as an object,
// true for a bare attribute) and children, strings added as text
// nodes, never parsed as HTML.
export function el(tag, attrs, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k.startsWith('on')) {
			// A handler is a function: never a string of script.
			if (typeof v === 'function')
				e.addEventListener(k.slice(2), v);
		} else if (k === 'style' && typeof v === 'object')
			Object.assign(e.style, v);
		else if (k === 'class')
			e.className = v;
		else
			e.setAttribute(k, v === true ? '' : String(v));
	}
	add(e, children);
	return e;
}

function add(e, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false)
			continue;
		if (Array.isArray(c))
			add(e, c);
		else if (c instanceof Node)
			e.appendChild(c);
		else
			e.appendChild(document.createTextNode(String(c)));
	}
}

// Empties an element and fills it with children.
export function fill(e, ...children) {
	e.replaceChildren();
	add(e, children);
	return e;
}

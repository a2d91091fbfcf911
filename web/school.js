// The school's phone page: its hazards with their state and the days
// left or overdue, a report with photos from the camera, a
// rectification with its "after" photo, the warnings to acknowledge.
// Its views are named in the address's fragment (#/report,
// #/hazard/17, #/warnings), so that back works as on any page.
import {
	addWords, api, blobURL, categoryName, el, fill, fmtDate, forgetURLs,
	getBlob, lang, loadCategories, stateName, t, upload,
} from './api.js';

addWords({
	tabList: { zh: '我的隐患', en: 'My hazards' },
	tabReport: { zh: '上报', en: 'Report' },
	tabWarnings: { zh: '预警', en: 'Warnings' },
	reportTitle: { zh: '上报隐患', en: 'Report a hazard' },
	title: { zh: '隐患描述（标题）', en: 'What is wrong (title)' },
	description: { zh: '详细情况', en: 'Details' },
	photosHint: { zh: '可直接拍照，可多张', en: 'From the camera; several' },
	submit: { zh: '提交', en: 'Submit' },
	sending: { zh: '正在提交…', en: 'Sending…' },
	reported: { zh: '已上报，编号 {0}', en: 'Reported: number {0}' },
	photoFailed: {
		zh: '隐患已上报，但有照片未能上传：{0}',
		en: 'The hazard is reported, but a photo was not sent: {0}',
	},
	noHazards: { zh: '还没有隐患', en: 'No hazards yet' },
	daysLeft: { zh: '剩 {0} 天', en: '{0} days left' },
	dayLeft: { zh: '剩 1 天', en: '1 day left' },
	dueToday: { zh: '今日到期', en: 'due today' },
	overdueDays: { zh: '逾期 {0} 天', en: '{0} days overdue' },
	overdueDay: { zh: '逾期 1 天', en: '1 day overdue' },
	rejectedBy: { zh: '被退回：{0}', en: 'Sent back: {0}' },
	before: { zh: '整改前', en: 'Before' },
	after: { zh: '整改后', en: 'After' },
	noPhotos: { zh: '没有照片', en: 'No photos' },
	rectifyTitle: { zh: '报告整改', en: 'Report the rectification' },
	note: { zh: '整改说明', en: 'What was done' },
	afterPhotos: { zh: '整改后照片', en: 'Photos after' },
	rectify: { zh: '提交整改', en: 'Submit the rectification' },
	rectifiedOk: {
		zh: '整改已提交，等待区安全办验收',
		en: 'Rectification sent; the office will check it',
	},
	noWarnings: { zh: '没有预警', en: 'No warnings' },
	issuedBy: { zh: '{0} 发布于 {1}', en: 'Issued by {0}, {1}' },
	ack: { zh: '已阅读，确认收到', en: 'I have read it: acknowledge' },
	acked: { zh: '已确认 {0}', en: 'Acknowledged {0}' },
	toAck: { zh: '{0} 条待确认', en: '{0} to acknowledge' },
	required: { zh: '请填写', en: 'Please fill in' },
	no_such_hazard: {
		zh: '没有这个隐患，或它不属于本校。',
		en: 'No such hazard, or not your school\'s.',
	},
	illegal_transition: {
		zh: '隐患当前的状态不能这样操作，请刷新。',
		en: 'The hazard\'s state does not allow this; reload.',
	},
	deadline_past: {
		zh: '整改期限不能早于今天。', en: 'The deadline cannot be past.',
	},
	school_retired: {
		zh: '本校已撤并：记录只能查看，不能再更改。',
		en: 'The school is retired: its records can be read, not changed.',
	},
});

// Why a request failed, in the reader's words where the code is known.
function why(e) {
	const w = t(e.code);
	return w !== e.code ? w : e.message;
}

function notice(message, ok) {
	return el('p', { class: ok ? 'ok' : 'error', role: 'alert',
	    id: 'msg' }, message);
}

// Today's date in the browser's zone, as the API writes dates.
function today() {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' +
	    p(d.getDate());
}

// Whole days from date a to date b (YYYY-MM-DD).
function daysBetween(a, b) {
	const ms = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1,
	    +s.slice(8, 10));
	return Math.round((ms(b) - ms(a)) / 86400000);
}

// The badge of an open hazard's time: days left, due, or overdue.
function due(h) {
	if (h.state !== 'open' || !h.deadline)
		return null;
	const n = daysBetween(today(), h.deadline);
	if (h.overdue || n < 0) {
		const late = h.days_overdue || -n;
		return el('span', { class: 'badge overdue' },
		    late === 1 ? t('overdueDay') : t('overdueDays', late));
	}
	return el('span', { class: 'badge' }, n === 0 ? t('dueToday') :
	    n === 1 ? t('dayLeft') : t('daysLeft', n));
}

// A random key, so that a report sent twice (a tap again on a slow
// network) is stored once.
function newKey() {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return 'web-' + Array.from(b, (x) =>
	    x.toString(16).padStart(2, '0')).join('');
}

// A file input that opens the camera, with the chosen photos shown.
function photoInput(id, label) {
	const preview = el('div', { class: 'photos', id: id + '-preview' });
	const input = el('input', {
		id, type: 'file', accept: 'image/*',
		capture: 'environment', multiple: true,
	});
	input.addEventListener('change', () => {
		fill(preview);
		for (const f of input.files) {
			preview.appendChild(el('img', { src: blobURL(f),
			    alt: f.name }));
		}
	});
	return [el('label', { for: id }, label), input,
	    el('p', { class: 'muted' }, t('photosHint')), preview];
}

// Sends the photos of input to the hazard, each as its own request.
// Returns the error of the first that fails, or null.
async function sendPhotos(id, input, stage) {
	for (const f of input.files) {
		try {
			await upload('/v1/hazards/' + id + '/photos?stage=' +
			    stage, f);
		} catch (e) {
			return e;
		}
	}
	return null;
}

function field(id, label, input) {
	return [el('label', { for: id }, label), input];
}

// --- the views --------------------------------------------------------

async function viewReport(main) {
	const cats = await loadCategories();
	const select = el('select', { id: 'category', required: true },
	    cats.map((c) => el('option', { value: c.code },
		c[lang] || c.zh || c.code)));
	const title = el('input', { id: 'title', required: true,
	    maxlength: 200, autocomplete: 'off' });
	const where = el('input', { id: 'location', maxlength: 200 });
	const deadline = el('input', { id: 'deadline', type: 'date',
	    min: today() });
	const details = el('textarea', { id: 'description', maxlength: 4000 });
	const msg = el('div');
	const button = el('button', { type: 'submit', id: 'submit' },
	    t('submit'));
	const form = el('form', { class: 'card', id: 'report' },
	    el('h1', {}, t('reportTitle')),
	    field('category', t('category'), select),
	    field('title', t('title'), title),
	    field('location', t('location'), where),
	    field('deadline', t('deadline'), deadline),
	    field('description', t('description'), details),
	    photoInput('photos', t('photos')),
	    msg, button);
	const key = newKey();
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const body = { category: select.value, title: title.value,
		    key };
		if (where.value.trim())
			body.location = where.value;
		if (deadline.value)
			body.deadline = deadline.value;
		if (details.value.trim())
			body.description = details.value;
		button.disabled = true;
		fill(msg, el('p', { class: 'muted' }, t('sending')));
		let h;
		try {
			h = await api('POST', '/v1/hazards', body);
		} catch (e) {
			button.disabled = false;
			fill(msg, notice(why(e)));
			return;
		}
		const failed = await sendPhotos(h.id, form.querySelector('#photos'), 'before');
		flash = failed ? notice(t('photoFailed', why(failed))) :
		    notice(t('reported', h.id), true);
		location.hash = '#/hazard/' + h.id;
	});
	fill(main, form);
}

async function viewList(main) {
	const list = el('ul', { class: 'list', id: 'list' });
	const more = el('div');
	fill(main, list, more);
	await loadCategories();
	let path = '/v1/hazards?limit=50';
	const page = async () => {
		const res = await api('GET', path);
		for (const h of res.hazards)
			list.appendChild(item(h));
		if (!list.firstChild)
			list.appendChild(el('li', { class: 'muted' },
			    t('noHazards')));
		fill(more);
		if (res.next) {
			path = '/v1/hazards?limit=50&cursor=' +
			    encodeURIComponent(res.next);
			more.appendChild(el('button', { type: 'button',
			    id: 'more', onclick: page }, t('more')));
		}
	};
	await page();
}

function item(h) {
	return el('li', {
		class: 'card item', 'data-id': h.id, tabindex: 0,
		onclick: () => { location.hash = '#/hazard/' + h.id; },
	},
	    el('div', { class: 'top' },
		el('span', { class: 'name' }, h.title),
		el('span', { class: 'badge ' + h.state }, stateName(h.state))),
	    el('div', { class: 'muted' },
		'#' + h.id + ' · ' + categoryName(h.category) +
		(h.location ? ' · ' + h.location : '')),
	    el('div', {}, due(h),
		h.deadline ? el('span', { class: 'muted' },
		    ' ' + t('deadline') + ' ' + h.deadline) : null),
	    h.rejected ? el('div', { class: 'error' },
		t('rejectedBy', h.rejected.note || '')) : null);
}

async function viewHazard(main, id) {
	let h;
	try {
		h = await api('GET', '/v1/hazards/' + encodeURIComponent(id));
	} catch (e) {
		fill(main, backButton(), notice(why(e)));
		return;
	}
	await loadCategories();
	const photos = el('div', { class: 'photos', id: 'hazard-photos' });
	const rows = [
		['category', categoryName(h.category)],
		['location', h.location],
		['deadline', h.deadline],
		['reportedAt', fmtDate(h.reported_at)],
		['description', h.description],
	];
	fill(main, backButton(),
	    flash,
	    el('article', { class: 'card', id: 'hazard' },
		el('h1', { id: 'hazard-title' }, h.title),
		el('div', {}, el('span', { class: 'badge ' + h.state },
		    stateName(h.state)), ' ', due(h)),
		h.rejected ? el('p', { class: 'error' },
		    t('rejectedBy', h.rejected.note || '')) : null,
		el('dl', { class: 'fields' }, rows.filter((r) => r[1])
		    .map((r) => [el('dt', {}, t(r[0])), el('dd', {}, r[1])])),
		el('h2', {}, t('photos')), photos),
	    h.state === 'open' ? rectifyForm(h) : null);
	flash = null;
	showPhotos(photos, h.photos || []);
}

// The photos of a hazard, fetched with the token (an <img> cannot send
// one) and shown from the blobs.
async function showPhotos(box, photos) {
	if (photos.length === 0) {
		box.appendChild(el('p', { class: 'muted' }, t('noPhotos')));
		return;
	}
	for (const p of photos) {
		const img = el('img', { alt: t(p.stage), 'data-photo': p.id });
		box.appendChild(el('figure', {}, img,
		    el('figcaption', {}, t(p.stage))));
		try {
			img.src = blobURL(await getBlob('/v1/photos/' + p.id));
		} catch (e) {
			img.alt = why(e);
		}
	}
}

function rectifyForm(h) {
	const note = el('textarea', { id: 'note', required: true,
	    maxlength: 4000 });
	const msg = el('div');
	const button = el('button', { type: 'submit', id: 'rectify' },
	    t('rectify'));
	const form = el('form', { class: 'card', id: 'rectify-form' },
	    el('h2', {}, t('rectifyTitle')),
	    field('note', t('note'), note),
	    photoInput('after', t('afterPhotos')), msg, button);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		button.disabled = true;
		fill(msg, el('p', { class: 'muted' }, t('sending')));
		// The photo first: the office checks the rectification by it.
		const failed = await sendPhotos(h.id, form.querySelector('#after'), 'after');
		if (failed) {
			button.disabled = false;
			fill(msg, notice(why(failed)));
			return;
		}
		try {
			await api('POST', '/v1/hazards/' + h.id + '/rectify',
			    { note: note.value });
		} catch (e) {
			button.disabled = false;
			fill(msg, notice(why(e)));
			return;
		}
		flash = notice(t('rectifiedOk'), true);
		render();
	});
	return form;
}

async function viewWarnings(main) {
	const res = await api('GET', '/v1/warnings');
	const list = el('ul', { class: 'list', id: 'warnings' });
	for (const w of res.warnings)
		list.appendChild(warning(w));
	if (!list.firstChild)
		list.appendChild(el('li', { class: 'muted' }, t('noWarnings')));
	fill(main, list);
}

function warning(w) {
	const mine = (w.schools || [])[0] || {};
	const foot = el('div');
	const card = el('li', { class: 'card', 'data-id': w.id },
	    el('h2', {}, w.title),
	    el('p', { class: 'muted' },
		t('issuedBy', w.issuer || '', fmtDate(w.issued_at))),
	    el('p', { class: 'body' }, w.body || ''), foot);
	const acked = (at) => fill(foot, el('p', { class: 'ok' },
	    t('acked', fmtDate(at))));
	if (mine.acked_at) {
		acked(mine.acked_at);
		return card;
	}
	const button = el('button', { type: 'button', class: 'primary ack' },
	    t('ack'));
	button.addEventListener('click', async () => {
		button.disabled = true;
		try {
			const w2 = await api('POST', '/v1/warnings/' + w.id +
			    '/ack');
			acked(((w2.schools || [])[0] || {}).acked_at);
		} catch (e) {
			button.disabled = false;
			foot.appendChild(notice(why(e)));
		}
	});
	fill(foot, button);
	return card;
}

function backButton() {
	return el('button', { type: 'button', class: 'back',
	    onclick: () => history.length > 1 ? history.back() :
		(location.hash = '#/') }, t('back'));
}

// --- the frame: tabs and the view of the fragment ---------------------

let flash = null;	// a message for the next view (after a report)
let frame = null;

function tabs() {
	const tab = (hash, label, id) => el('button', {
		type: 'button', id, role: 'tab',
		'aria-selected': String(current() === hash),
		onclick: () => { location.hash = hash; },
	}, label);
	return el('nav', { class: 'tabs', role: 'tablist' },
	    tab('#/', t('tabList'), 'tab-list'),
	    tab('#/report', t('tabReport'), 'tab-report'),
	    tab('#/warnings', t('tabWarnings'), 'tab-warnings'));
}

function current() {
	const h = location.hash;
	if (h === '#/report' || h === '#/warnings')
		return h;
	return h.startsWith('#/hazard/') ? h : '#/';
}

async function render() {
	const view = el('div', { id: 'view' });
	forgetURLs();
	fill(frame, tabs(), view);
	const h = current();
	try {
		if (h === '#/report')
			await viewReport(view);
		else if (h === '#/warnings')
			await viewWarnings(view);
		else if (h.startsWith('#/hazard/'))
			await viewHazard(view, h.slice('#/hazard/'.length));
		else
			await viewList(view);
	} catch (e) {
		if (e.status !== 401)
			fill(view, notice(t('error') + ': ' + why(e)));
	}
}

export function school(root, me) {
	if (frame === null)
		window.addEventListener('hashchange', render);
	frame = root;
	render();
}

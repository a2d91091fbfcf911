// The office's pages: the dashboard, the list with every filter, a
// hazard's page with its photos, its audit trail and the office's
// actions, the schools and their tokens, the early warnings.  Each view
// is named in the address's fragment (#/list?state=open, #/hazard/17),
// so that back and a copied address work.  Everything the server sends
// is shown as text (el() and textContent), never as HTML.
import {
	addWords, api, blobURL, categoryName, el, fill, fmtDate, forgetURLs,
	getBlob, gradeName, kindName, lang, loadCategories, stateName, t,
} from './api.js';
import { trendChart } from './chart.js';

addWords({
	navDash: { zh: '总览', en: 'Overview' },
	navList: { zh: '隐患', en: 'Hazards' },
	navSchools: { zh: '学校与令牌', en: 'Schools and tokens' },
	navWarnings: { zh: '预警', en: 'Warnings' },
	rates: { zh: '整改率', en: 'Rectification rates' },
	today: { zh: '今日', en: 'Today' },
	reportedToday: { zh: '今日上报', en: 'Reported today' },
	rectifiedToday: { zh: '今日整改', en: 'Rectified today' },
	closedToday: { zh: '今日销号', en: 'Closed today' },
	openNow: { zh: '未销号', en: 'Open' },
	awaiting: { zh: '待验收', en: 'Awaiting verification' },
	overdueNow: { zh: '逾期', en: 'Overdue' },
	overdueList: { zh: '逾期隐患（最久的在前）', en: 'Overdue, longest first' },
	worstSchools: { zh: '整改率最低的学校', en: 'Schools, worst first' },
	trend: { zh: '近 12 个月趋势', en: 'The last 12 months' },
	trendOpen: { zh: '月末未销号', en: 'open at month end' },
	trendRate: { zh: '隐患整改率', en: 'hazard rate' },
	allList: { zh: '查看全部', en: 'See all' },
	daysOverdue: { zh: '逾期 {0} 天', en: '{0} days overdue' },
	school: { zh: '学校', en: 'School' },
	schoolCode: { zh: '学校代码', en: 'School code' },
	grade: { zh: '等级', en: 'Grade' },
	kind: { zh: '类型', en: 'Kind' },
	onlyOverdue: { zh: '只看逾期', en: 'Overdue only' },
	search: { zh: '搜索', en: 'Search' },
	sort: { zh: '排序', en: 'Order' },
	sortReported: { zh: '最新上报在前', en: 'Newest first' },
	sortDeadline: { zh: '期限最早在前', en: 'Earliest deadline first' },
	any: { zh: '全部', en: 'any' },
	apply: { zh: '筛选', en: 'Filter' },
	noneFound: { zh: '没有符合条件的隐患', en: 'No hazard matches' },
	title: { zh: '标题', en: 'Title' },
	description: { zh: '详细情况', en: 'Description' },
	responsible: { zh: '责任人', en: 'Responsible' },
	department: { zh: '责任部门', en: 'Department' },
	plan: { zh: '整改方案', en: 'Plan' },
	assessment: { zh: '风险研判', en: 'Assessment' },
	funds: { zh: '整改资金', en: 'Funds' },
	contingency: { zh: '应急措施', en: 'Contingency' },
	closedAt: { zh: '销号时间', en: 'Closed' },
	escalation: { zh: '督办级别', en: 'Escalation' },
	rejectedNote: { zh: '退回意见', en: 'Sent back' },
	noPhotos: { zh: '未提供照片', en: 'No photo' },
	before: { zh: '整改前', en: 'before' },
	after: { zh: '整改后', en: 'after' },
	trail: { zh: '处理记录', en: 'Audit trail' },
	actions: { zh: '处理', en: 'Actions' },
	assess: { zh: '评估', en: 'Assess' },
	verify: { zh: '验收销号', en: 'Verify and close' },
	reject: { zh: '退回整改', en: 'Send back' },
	cancel: { zh: '撤销', en: 'Cancel' },
	note: { zh: '意见', en: 'Note' },
	reason: { zh: '撤销原因', en: 'Reason' },
	send: { zh: '提交', en: 'Submit' },
	done: { zh: '已保存', en: 'Saved' },
	noChange: { zh: '没有要修改的内容', en: 'Nothing to change' },
	majorNeeds: {
		zh: '重大隐患须先填写整改方案和评估意见才能验收',
		en: 'A major hazard needs its plan and assessment to be verified',
	},
	act_report: { zh: '上报', en: 'reported' },
	act_assess: { zh: '评估', en: 'assessed' },
	act_rectify: { zh: '整改', en: 'rectified' },
	act_verify: { zh: '验收', en: 'verified' },
	act_reject: { zh: '退回', en: 'sent back' },
	act_cancel: { zh: '撤销', en: 'cancelled' },
	act_escalate: { zh: '督办', en: 'escalated' },
	act_photo: { zh: '照片', en: 'photo' },
	act_import: { zh: '导入', en: 'imported' },
	schools: { zh: '学校', en: 'Schools' },
	addSchool: { zh: '添加学校', en: 'Add a school' },
	name: { zh: '名称', en: 'Name' },
	add: { zh: '添加', en: 'Add' },
	filterSchools: { zh: '按代码或名称查找', en: 'Find by code or name' },
	shownOf: { zh: '显示 {0} / {1}', en: '{0} of {1} shown' },
	retired: { zh: '已停用', en: 'retired' },
	tokens: { zh: '令牌', en: 'Tokens' },
	newToken: { zh: '新建令牌', en: 'New token' },
	role: { zh: '角色', en: 'Role' },
	roleSchool: { zh: '学校', en: 'school' },
	roleOffice: { zh: '区安全办', en: 'office' },
	holder: { zh: '持有人', en: 'Held by' },
	create: { zh: '创建', en: 'Create' },
	linkOnce: {
		zh: '登录链接（只显示这一次，请通过钉钉等发给本人）：',
		en: 'The sign-in link (shown this once: send it to its holder):',
	},
	copy: { zh: '复制', en: 'Copy' },
	copied: { zh: '已复制', en: 'Copied' },
	revoke: { zh: '收回', en: 'Revoke' },
	revoked: { zh: '已收回', en: 'revoked' },
	created: { zh: '创建时间', en: 'Created' },
	warnings: { zh: '预警', en: 'Warnings' },
	issue: { zh: '发布预警', en: 'Issue a warning' },
	body: { zh: '内容', en: 'Text' },
	targets: {
		zh: '学校代码（以逗号分隔；留空为全部学校）',
		en: 'School codes (comma separated; empty: every school)',
	},
	acked: { zh: '已确认 {0} / {1}', en: 'Acknowledged {0} of {1}' },
	ackedAt: { zh: '{0} 确认', en: 'acknowledged {0}' },
	notAcked: { zh: '未确认', en: 'not yet' },
	issuedBy: { zh: '{0} 发布于 {1}', en: 'by {0}, {1}' },
	noWarnings: { zh: '暂无预警', en: 'No warnings' },
});

// The request of the view being drawn: a view whose answers come after
// the next one began draws nothing.
let drawing = 0;

// A query string of the object's non-empty values.
function query(o) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(o))
		if (v !== undefined && v !== null && v !== '' && v !== false)
			q.set(k, String(v));
	const s = q.toString();
	return s ? '?' + s : '';
}

function errorBox(e) {
	return el('p', { class: 'error', role: 'alert' },
	    t('error') + ': ' + (e && e.message ? e.message : String(e)));
}

function go(hash) {
	if (location.hash === hash)
		route();
	else
		location.hash = hash;
}

// A rate of the API as the district writes it: 411/416 (98.8%).
function rateText(r) {
	return r && r.text ? r.text : '—';
}

// A badge of a hazard's state, and one of its days overdue.
function badges(h) {
	return [
	    el('span', { class: 'badge ' + h.state }, stateName(h.state)),
	    h.overdue ? el('span', { class: 'badge overdue' },
		h.days_overdue !== undefined ? t('daysOverdue', h.days_overdue) :
		t('overdueNow')) : null,
	    h.grade === 'major' ? el('span', { class: 'badge major' },
		gradeName('major')) : null,
	];
}

// A hazard as a line of a list: a link to its page.
function hazardItem(h) {
	return el('li', { class: 'card item hazard', 'data-id': h.id },
	    el('a', { href: '#/hazard/' + h.id, class: 'top' },
		el('span', { class: 'name' }, '#' + h.id + ' ' + h.title),
		el('span', {}, badges(h))),
	    el('div', { class: 'muted' }, [h.school + ' ' +
		(h.school_name || ''), kindName(h.kind), categoryName(h.category),
		t('deadline') + ' ' + fmtDate(h.deadline)].join(' · ')));
}

// --- the dashboard -------------------------------------------------------

function count(id, label, value) {
	return el('div', { class: 'count', id },
	    el('div', { class: 'n' }, String(value)),
	    el('div', { class: 'muted' }, label));
}

async function dashboard(main, n) {
	const [hz, fd, today, months, worst, overdue] = await Promise.all([
	    loadCategories().then(() => api('GET', '/v1/rate?kind=hazard')),
	    api('GET', '/v1/rate?kind=finding'),
	    api('GET', '/v1/today'),
	    api('GET', '/v1/stats?by=month&months=12'),
	    api('GET', '/v1/stats?by=school&sort=rate&limit=10'),
	    api('GET', '/v1/hazards?overdue=1&sort=deadline&limit=10'),
	]);
	if (n !== drawing)
		return;
	const sum = (k) => today.hazard[k] + today.finding[k];
	const g = months.groups;
	fill(main,
	    el('section', { class: 'card', id: 'rates' },
		el('h2', {}, t('rates')),
		el('div', { class: 'rates' },
		    el('div', { class: 'rate', id: 'rate-hazard' },
			el('span', { class: 'k' }, kindName('hazard')), ' ',
			el('span', { class: 'v' }, rateText(hz))),
		    el('div', { class: 'rate', id: 'rate-finding' },
			el('span', { class: 'k' }, kindName('finding')), ' ',
			el('span', { class: 'v' }, rateText(fd))))),
	    el('section', { class: 'card' },
		el('h2', {}, t('today') + ' ' + today.date),
		el('div', { class: 'counts', id: 'today' },
		    count('today-reported', t('reportedToday'), sum('reported')),
		    count('today-rectified', t('rectifiedToday'),
			sum('rectified')),
		    count('today-closed', t('closedToday'), sum('closed')),
		    count('today-open', t('openNow'), sum('open')),
		    count('today-awaiting', t('awaiting'), sum('awaiting')),
		    count('today-overdue', t('overdueNow'), sum('overdue')))),
	    el('div', { class: 'cols' },
		el('section', { class: 'card' },
		    el('h2', {}, t('overdueList')),
		    overdue.hazards.length ?
			el('ul', { class: 'list', id: 'overdue' },
			    overdue.hazards.map(hazardItem)) :
			el('p', { class: 'muted', id: 'overdue' }, t('none')),
		    el('a', { href: '#/list?overdue=1&sort=deadline' },
			t('allList'))),
		el('section', { class: 'card' },
		    el('h2', {}, t('worstSchools')),
		    el('ul', { class: 'list bars', id: 'worst' },
			worst.groups.map((s) => el('li', {},
			    el('a', { href: '#/list?school=' +
				encodeURIComponent(s.key), class: 'top' },
				el('span', { class: 'name' }, s.name || s.key),
				el('span', { class: 'muted' },
				    rateText(s.hazard))),
			    el('div', { class: 'meter' },
				el('div', { class: 'fill', style: {
				    width: (s.hazard.rate === null ? 0 :
				    s.hazard.rate) + '%' } }))))))),
	    el('section', { class: 'card', id: 'trend' },
		el('h2', {}, t('trend')),
		trendChart(g.map((m) => m.key), g.map((m) => m.open),
		    g.map((m) => m.hazard.rate), t('trendOpen'),
		    t('trendRate'))));
}

// --- the list ------------------------------------------------------------

const FILTERS = ['school', 'state', 'grade', 'kind', 'category', 'overdue',
    'search', 'sort'];

function select(name, options, value) {
	return el('select', { name, id: 'f-' + name },
	    options.map(([v, label]) => el('option',
		{ value: v, selected: v === value }, label)));
}

async function list(main, n, params) {
	const cats = await loadCategories();
	if (n !== drawing)
		return;
	const f = {};
	for (const k of FILTERS)
		f[k] = params.get(k) || '';
	const any = ['', t('any')];
	const form = el('form', { class: 'card filters', id: 'filters' },
	    el('label', {}, t('schoolCode'),
		el('input', { name: 'school', id: 'f-school', value: f.school,
		    autocomplete: 'off' })),
	    el('label', {}, t('state'), select('state', [any,
		...['open', 'rectified', 'closed', 'cancelled'].map((s) =>
		[s, stateName(s)])], f.state)),
	    el('label', {}, t('grade'), select('grade', [any,
		...['general', 'major'].map((s) => [s, gradeName(s)])],
		f.grade)),
	    el('label', {}, t('kind'), select('kind', [any,
		...['hazard', 'finding'].map((s) => [s, kindName(s)])],
		f.kind)),
	    el('label', {}, t('category'), select('category', [any,
		...cats.map((c) => [c.code, c[lang] || c.code])],
		f.category)),
	    el('label', {}, t('search'),
		el('input', { name: 'search', id: 'f-search', type: 'search',
		    value: f.search })),
	    el('label', {}, t('sort'), select('sort', [
		['', t('sortReported')], ['deadline', t('sortDeadline')]],
		f.sort)),
	    el('label', { class: 'check' },
		el('input', { type: 'checkbox', name: 'overdue', id: 'f-overdue',
		    value: '1', checked: f.overdue === '1' }),
		t('onlyOverdue')),
	    el('button', { type: 'submit', id: 'f-apply' }, t('apply')));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const o = {};
		for (const k of FILTERS) {
			const input = form.elements[k];
			o[k] = input.type === 'checkbox' ?
			    (input.checked ? '1' : '') : input.value.trim();
		}
		go('#/list' + query(o));
	});
	const ul = el('ul', { class: 'list', id: 'list' });
	const status = el('p', { class: 'muted', id: 'list-status' });
	const more = el('button', { type: 'button', id: 'more', hidden: true },
	    t('more'));
	fill(main, form, ul, status, more);
	let next = null;
	const page = async () => {
		more.disabled = true;
		const o = Object.assign({}, f, { limit: 50 });
		if (next)
			o.cursor = next;
		try {
			const r = await api('GET', '/v1/hazards' + query(o));
			if (n !== drawing)
				return;
			r.hazards.forEach((h) => ul.appendChild(hazardItem(h)));
			next = r.next;
			status.textContent = ul.children.length ? '' :
			    (next ? '' : t('noneFound'));
		} catch (e) {
			status.replaceChildren(errorBox(e));
		}
		more.hidden = !next;
		more.disabled = false;
	};
	more.addEventListener('click', page);
	await page();
}

// --- a hazard's page -----------------------------------------------------

// The photos of a hazard, each fetched with the token (an <img src>
// would not carry it) and shown from a blob: URL.
function photos(h) {
	const box = el('div', { class: 'photos', id: 'photos' });
	if (!h.photos || !h.photos.length) {
		box.appendChild(el('p', { class: 'muted' }, t('noPhotos')));
		return box;
	}
	for (const p of h.photos) {
		const img = el('img', { alt: t(p.stage) + ' ' + fmtDate(p.at),
		    'data-stage': p.stage, 'data-id': p.id });
		const fig = el('figure', {}, img,
		    el('figcaption', { class: 'muted' }, t(p.stage) + ' · ' +
			fmtDate(p.at)));
		box.appendChild(fig);
		getBlob('/v1/photos/' + p.id).then((b) => {
			const u = blobURL(b);
			img.src = u;
			img.addEventListener('click', () => window.open(u));
		}).catch((e) => fig.appendChild(errorBox(e)));
	}
	return box;
}

const FIELDS = ['description', 'location', 'responsible', 'department',
    'deadline', 'plan', 'assessment', 'funds', 'contingency'];

function fields(h) {
	const rows = [
	    [t('school'), h.school + ' ' + (h.school_name || '')],
	    [t('kind'), kindName(h.kind)],
	    [t('category'), categoryName(h.category)],
	    [t('grade'), gradeName(h.grade)],
	    [t('reportedAt'), fmtDate(h.reported_at)],
	];
	for (const k of FIELDS)
		rows.push([t(k), k === 'deadline' ? fmtDate(h[k]) :
		    (h[k] === null || h[k] === undefined ? '—' : h[k])]);
	if (h.closed_at)
		rows.push([t('closedAt'), fmtDate(h.closed_at)]);
	if (h.escalation)
		rows.push([t('escalation'), String(h.escalation)]);
	if (h.rejected)
		rows.push([t('rejectedNote'), fmtDate(h.rejected.at) + ' ' +
		    (h.rejected.by || '') + ': ' + (h.rejected.note || '')]);
	return el('dl', { class: 'fields', id: 'fields' },
	    rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

// What an event changed: "field: old → new", a line each.
function changes(c) {
	if (!c)
		return null;
	return el('div', { class: 'changes' }, Object.entries(c).map(([k, v]) =>
	    el('div', {}, t(k) + ': ' + (Array.isArray(v) ?
		(v[0] === null ? '—' : v[0]) + ' → ' + (v[1] === null ? '—' :
		v[1]) : JSON.stringify(v)))));
}

// Who acted: the office, a school, or the server itself.
function roleName(r) {
	return r === 'office' ? t('roleOffice') : r === 'school' ?
	    t('roleSchool') : r;
}

function trail(events) {
	return el('ol', { class: 'trail', id: 'events' }, events.map((e) =>
	    el('li', { 'data-action': e.action },
		el('div', { class: 'top' },
		    el('span', { class: 'name' },
			t('act_' + e.action) === 'act_' + e.action ? e.action :
			t('act_' + e.action)),
		    el('span', { class: 'muted' }, fmtDate(e.at))),
		el('div', { class: 'muted' }, (e.actor || '') + ' (' +
		    roleName(e.role) + ')' + (e.from && e.to && e.from !== e.to ?
		    ' · ' + stateName(e.from) + ' → ' + stateName(e.to) : '')),
		e.note ? el('div', { class: 'note' }, e.action === 'photo' &&
		    (e.note === 'before' || e.note === 'after') ? t(e.note) :
		    e.note) : null,
		changes(e.changes))));
}

// A form of one action: its fields, and what to send.
function actionForm(h, action, inputs, body, redraw) {
	const msg = el('p', { class: 'msg', role: 'status' });
	const form = el('form', { class: 'action', id: 'form-' + action },
	    inputs, el('button', { type: 'submit', id: action + '-submit' },
		t(action)), msg);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const b = body(form);
		if (b === null) {
			msg.className = 'msg error';
			msg.textContent = t('noChange');
			return;
		}
		form.querySelector('button').disabled = true;
		try {
			await api('POST', '/v1/hazards/' + h.id + '/' + action, b);
			redraw();
		} catch (e) {
			msg.className = 'msg error';
			msg.textContent = e.field && action === 'verify' &&
			    e.status === 409 ? t('majorNeeds') + ' (' +
			    e.message + ')' : e.message;
			form.querySelector('button').disabled = false;
		}
	});
	return form;
}

function input(name, value, type) {
	return el('label', {}, t(name), type === 'textarea' ?
	    el('textarea', { name, id: 'a-' + name }, value || '') :
	    el('input', { name, id: 'a-' + name, type: type || 'text',
		value: value || '' }));
}

// The office's actions that the hazard's state allows, each behind a
// button that opens its form.
function actions(h, redraw) {
	const live = h.state === 'open' || h.state === 'rectified';
	if (!live)
		return null;
	const forms = [];
	forms.push(['assess', actionForm(h, 'assess', [
	    el('label', {}, t('grade'), select('grade', ['general', 'major']
		.map((s) => [s, gradeName(s)]), h.grade)),
	    input('deadline', h.deadline, 'date'),
	    input('department', h.department),
	    input('responsible', h.responsible),
	    input('plan', h.plan, 'textarea'),
	    input('assessment', h.assessment, 'textarea'),
	    input('funds', h.funds),
	    input('contingency', h.contingency, 'textarea'),
	    input('note', ''),
	], (f) => {
		// Only what changed is sent.
		const b = {};
		for (const k of ['grade', 'deadline', 'department',
		    'responsible', 'plan', 'assessment', 'funds',
		    'contingency']) {
			const v = f.elements[k].value.trim();
			if (v !== (h[k] || ''))
				b[k] = v;
		}
		if (!Object.keys(b).length)
			return null;
		const note = f.elements.note.value.trim();
		if (note)
			b.note = note;
		return b;
	}, redraw)]);
	if (h.state === 'rectified') {
		forms.push(['verify', actionForm(h, 'verify',
		    [input('note', '')], (f) => {
			const note = f.elements.note.value.trim();
			return note ? { note } : {};
		}, redraw)]);
		forms.push(['reject', actionForm(h, 'reject', [el('label', {},
		    t('note'), el('textarea', { name: 'note', id: 'reject-note',
			required: true }))],
		    (f) => ({ note: f.elements.note.value.trim() }), redraw)]);
	}
	forms.push(['cancel', actionForm(h, 'cancel', [el('label', {},
	    t('reason'), el('input', { name: 'reason', id: 'cancel-reason',
		required: true }))],
	    (f) => ({ reason: f.elements.reason.value.trim() }), redraw)]);
	const box = el('div', { class: 'action-box' });
	const buttons = el('div', { class: 'tabs actions' }, forms.map(([a,
	    form]) => el('button', { type: 'button', id: 'act-' + a,
	    class: a === 'verify' ? 'primary' : null, onclick: () => {
		fill(box, form);
		const first = form.querySelector('input, textarea, select');
		if (first)
			first.focus();
	} }, t(a))));
	return el('section', { class: 'card', id: 'actions' },
	    el('h2', {}, t('actions')), buttons, box);
}

async function hazard(main, n, id) {
	const [h, ev] = await Promise.all([
	    loadCategories().then(() => api('GET', '/v1/hazards/' +
		encodeURIComponent(id))),
	    api('GET', '/v1/hazards/' + encodeURIComponent(id) + '/events'),
	]);
	if (n !== drawing)
		return;
	const redraw = () => go('#/hazard/' + h.id);
	fill(main,
	    el('button', { type: 'button', class: 'back',
		onclick: () => history.back() }, t('back')),
	    el('div', { class: 'cols' },
		el('div', {},
		    el('section', { class: 'card', id: 'hazard',
			'data-state': h.state },
			el('h1', {}, '#' + h.id + ' ' + h.title),
			el('div', { id: 'badges' }, badges(h)),
			fields(h)),
		    el('section', { class: 'card' }, el('h2', {}, t('photos')),
			photos(h))),
		el('div', {},
		    actions(h, redraw),
		    el('section', { class: 'card' }, el('h2', {}, t('trail')),
			trail(ev.events)))));
}

// --- schools and tokens --------------------------------------------------

function tokenLink(secret) {
	return location.origin + location.pathname + '#token=' +
	    encodeURIComponent(secret);
}

// A field to copy from, with its button.
function copyBox(value) {
	const out = el('input', { id: 'token-link', readonly: true, value });
	const btn = el('button', { type: 'button', id: 'copy' }, t('copy'));
	btn.addEventListener('click', async () => {
		out.select();
		try {
			await navigator.clipboard.writeText(value);
		} catch (e) {
			document.execCommand('copy');
		}
		btn.textContent = t('copied');
	});
	return el('div', { class: 'copy' }, out, btn);
}

async function schools(main, n) {
	const [s, tk] = await Promise.all([api('GET', '/v1/schools'),
	    api('GET', '/v1/tokens')]);
	if (n !== drawing)
		return;
	const redraw = () => go('#/schools');
	const msg = (form) => form.querySelector('.msg');

	const add = el('form', { class: 'card', id: 'school-add' },
	    el('h2', {}, t('addSchool')),
	    el('label', {}, t('schoolCode'), el('input', { name: 'code',
		required: true, pattern: '[A-Za-z0-9_-]{1,32}' })),
	    el('label', {}, t('name'), el('input', { name: 'name',
		required: true })),
	    el('button', { type: 'submit' }, t('add')),
	    el('p', { class: 'msg error', role: 'status' }));
	add.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		try {
			await api('POST', '/v1/schools', {
			    code: add.elements.code.value.trim(),
			    name: add.elements.name.value.trim() });
			redraw();
		} catch (e) {
			msg(add).textContent = e.message;
		}
	});

	const make = el('form', { class: 'card', id: 'token-new' },
	    el('h2', {}, t('newToken')),
	    el('label', {}, t('role'), select('role', [
		['school', t('roleSchool')], ['office', t('roleOffice')]],
		'school')),
	    el('label', {}, t('schoolCode'), el('input', { name: 'school',
		id: 'token-school' })),
	    el('label', {}, t('holder'), el('input', { name: 'name',
		id: 'token-name', required: true })),
	    el('button', { type: 'submit', id: 'token-create' }, t('create')),
	    el('p', { class: 'msg error', role: 'status' }),
	    el('div', { id: 'token-made' }));
	make.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const role = make.elements.role.value;
		const b = { role, name: make.elements.name.value.trim() };
		if (role === 'school')
			b.school = make.elements.school.value.trim();
		try {
			const r = await api('POST', '/v1/tokens', b);
			msg(make).textContent = '';
			fill(make.querySelector('#token-made'),
			    el('p', { class: 'ok' }, t('linkOnce')),
			    copyBox(tokenLink(r.token)));
		} catch (e) {
			msg(make).textContent = e.message;
		}
	});

	const tokenRows = tk.tokens.map((k) => el('li', { class: 'card item' },
	    el('div', { class: 'top' },
		el('span', { class: 'name' }, k.name),
		k.revoked_at ? el('span', { class: 'badge cancelled' },
		    t('revoked')) : el('button', { type: 'button',
		    class: 'revoke', 'data-id': k.id, onclick: async (ev) => {
			ev.target.disabled = true;
			try {
				await api('DELETE', '/v1/tokens/' + k.id);
				redraw();
			} catch (e) {
				ev.target.replaceWith(errorBox(e));
			}
		    } }, t('revoke'))),
	    el('div', { class: 'muted' }, [k.role === 'office' ?
		t('roleOffice') : t('roleSchool') + ' ' + (k.school || ''),
		t('created') + ' ' + fmtDate(k.created_at)].join(' · '))));

	// A district has thousands of schools: a filter, and 200 shown.
	const all = s.schools;
	const ul = el('ul', { class: 'list', id: 'schools' });
	const shown = el('p', { class: 'muted' });
	const find = el('input', { type: 'search', id: 'school-find',
	    placeholder: t('filterSchools') });
	const show = () => {
		const q = find.value.trim().toLowerCase();
		const m = all.filter((x) => !q ||
		    x.code.toLowerCase().includes(q) || x.name.includes(q));
		ul.replaceChildren(...m.slice(0, 200).map((x) => el('li',
		    { class: 'row' },
		    el('a', { href: '#/list?school=' + encodeURIComponent(x.code) },
			x.code + ' ' + x.name),
		    x.retired_at ? el('span', { class: 'badge cancelled' },
			t('retired')) : null)));
		shown.textContent = t('shownOf', Math.min(200, m.length),
		    m.length);
	};
	find.addEventListener('input', show);
	show();
	fill(main, el('div', { class: 'cols' },
	    el('div', {}, make, el('section', { class: 'card' },
		el('h2', {}, t('tokens')),
		el('ul', { class: 'list', id: 'tokens' }, tokenRows))),
	    el('div', {}, add, el('section', { class: 'card' },
		el('h2', {}, t('schools')), find, shown, ul))));
}

// --- early warnings ------------------------------------------------------

async function warnings(main, n) {
	const w = await api('GET', '/v1/warnings');
	if (n !== drawing)
		return;
	const form = el('form', { class: 'card', id: 'warning-new' },
	    el('h2', {}, t('issue')),
	    el('label', {}, t('title'), el('input', { name: 'title',
		id: 'w-title', required: true })),
	    el('label', {}, t('body'), el('textarea', { name: 'body',
		id: 'w-body' })),
	    el('label', {}, t('targets'), el('input', { name: 'schools',
		id: 'w-schools' })),
	    el('button', { type: 'submit', id: 'w-send' }, t('send')),
	    el('p', { class: 'msg error', role: 'status' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const b = { title: form.elements.title.value.trim(),
		    body: form.elements.body.value.trim() };
		const codes = form.elements.schools.value.split(/[,，\s]+/)
		    .filter((c) => c);
		if (codes.length)
			b.schools = codes;
		try {
			await api('POST', '/v1/warnings', b);
			go('#/warnings');
		} catch (e) {
			form.querySelector('.msg').textContent = e.message;
		}
	});
	const items = w.warnings.map((x) => {
		const acked = x.schools.filter((s) => s.acked_at);
		return el('li', { class: 'card warning', 'data-id': x.id },
		    el('div', { class: 'top' },
			el('span', { class: 'name' }, x.title),
			el('span', { class: 'badge ' + (acked.length ===
			    x.schools.length ? 'closed' : 'open') },
			    t('acked', acked.length, x.schools.length))),
		    el('div', { class: 'muted' }, t('issuedBy', x.issuer || '',
			fmtDate(x.issued_at))),
		    x.body ? el('p', { class: 'note' }, x.body) : null,
		    el('details', { open: true }, el('summary', {}, t('acked',
			acked.length, x.schools.length)),
			el('ul', { class: 'acks' }, x.schools.map((s) =>
			    el('li', { class: s.acked_at ? 'ok' : 'muted' },
				s.code + ' ' + s.name + ' · ' + (s.acked_at ?
				t('ackedAt', fmtDate(s.acked_at)) +
				(s.acked_by ? ' (' + s.acked_by + ')' : '') :
				t('notAcked')))))));
	});
	fill(main, form, items.length ? el('ul', { class: 'list',
	    id: 'warnings' }, items) : el('p', { class: 'muted',
	    id: 'warnings' }, t('noWarnings')));
}

// --- the frame -----------------------------------------------------------

const VIEWS = [['dash', 'navDash'], ['list', 'navList'],
    ['schools', 'navSchools'], ['warnings', 'navWarnings']];

let nav = null;
let view = null;

// Draws the view the fragment names.
async function route() {
	const m = /^#\/([a-z]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(location.hash);
	const name = m ? m[1] : 'dash';
	const n = ++drawing;
	forgetURLs();
	for (const b of nav.querySelectorAll('button'))
		b.setAttribute('aria-selected', String(b.dataset.view === name ||
		    (name === 'hazard' && b.dataset.view === 'list')));
	fill(view, el('p', { class: 'loading' }, t('loading')));
	try {
		if (name === 'list')
			await list(view, n, new URLSearchParams(m[3] || ''));
		else if (name === 'hazard' && m[2])
			await hazard(view, n, decodeURIComponent(m[2]));
		else if (name === 'schools')
			await schools(view, n);
		else if (name === 'warnings')
			await warnings(view, n);
		else
			await dashboard(view, n);
	} catch (e) {
		// A refused token goes back to the sign-in (app.js).
		if (n === drawing && e.status !== 401)
			fill(view, errorBox(e));
	}
	if (n === drawing)
		window.scrollTo(0, 0);
}

export function office(root, me) {
	void me;
	// The office's own look, from the server as every file (the CSP
	// takes no style in the page).
	document.head.appendChild(el('link', { rel: 'stylesheet',
	    href: 'ui/office.css' }));
	document.body.classList.add('office');
	nav = el('nav', { class: 'tabs office-nav', id: 'nav' },
	    VIEWS.map(([v, key]) => el('button', { type: 'button',
		'data-view': v, id: 'nav-' + v,
		onclick: () => go('#/' + v) }, t(key))));
	view = el('div', { id: 'view' });
	fill(root, nav, view);
	window.addEventListener('hashchange', route);
	route();
}

// The school's phone page: school(root, me) fills root for a school's
// token.
import { el, fill } from './api.js';

export function school(root, me) {
	fill(root, el('p', {}, me.school_name));
}

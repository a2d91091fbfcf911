#!/bin/bash
# The hardening configure chose is in the programs it built: a
# position-independent executable (-pie: ELF type DYN), full RELRO
# (-Wl,-z,relro: a GNU_RELRO segment; -Wl,-z,now: BIND_NOW), the stack
# protector (__stack_chk_fail) and _FORTIFY_SOURCE (glibc's __*_chk).
# A flag configure did not choose (--disable-hardening, a compiler or
# linker without it, FORTIFY under the sanitizers) is not looked for.
. "$(dirname "$0")/lib.sh"

: "${HARDEN_CFLAGS?set HARDEN_CFLAGS}" "${HARDEN_LDFLAGS?set HARDEN_LDFLAGS}"
if [ -z "$HARDEN_CFLAGS$HARDEN_LDFLAGS" ]; then
	echo "# skipped: configured without hardening"
	exit 77
fi
if ! command -v readelf >/dev/null; then
	echo "# skipped: readelf is missing (Debian package binutils)"
	exit 77
fi

# has FLAG FLAGS: whether configure chose FLAG.
has() {
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}

for prog in "$HAZARDD" "$HAZARDCTL"; do
	name=$(basename "$prog")
	if has -pie "$HARDEN_LDFLAGS"; then
		expect_match "$name is position-independent (-pie)" \
		    'Type: +DYN' "$(readelf -h "$prog" | grep Type:)"
	fi
	if has -Wl,-z,relro "$HARDEN_LDFLAGS"; then
		expect_match "$name has a RELRO segment (-z relro)" \
		    'GNU_RELRO' "$(readelf -lW "$prog" | grep -o 'GNU_[A-Z]*')"
	fi
	if has -Wl,-z,now "$HARDEN_LDFLAGS"; then
		expect_match "$name binds every symbol at start (-z now)" \
		    '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).* NOW' \
		    "$(readelf -dW "$prog" | grep FLAGS)"
	fi
	syms=$(readelf --dyn-syms -W "$prog" | grep -o ' __[a-z_]*_chk[a-z_]*' |
	    sort -u)
	if has -fstack-protector-strong "$HARDEN_CFLAGS"; then
		expect_match "$name has the stack protector" \
		    '__stack_chk_fail' "$syms"
	fi
	if has -D_FORTIFY_SOURCE=2 "$HARDEN_CFLAGS"; then
		expect_match "$name calls glibc's checked functions (FORTIFY)" \
		    '__[a-z]+_chk$' "$syms"
	fi
done

finish

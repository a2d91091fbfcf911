#!/usr/bin/env python3
"""Drives Debian's chromium through chromedriver (W3C WebDriver over
HTTP), with Python's standard library alone: nothing is downloaded.

Reads steps from its standard input, one a line, and runs them in one
browser; prints "ok STEP" for each, or "error STEP: WHY" and exits 1 at
the first that fails.  A line that is empty or begins with '#' is
skipped.  The steps:

    open URL                 load URL and wait for the page
    wait CSS                 until an element matches and is shown
    gone CSS                 until no element matches
    text CSS WORDS           until the element's text holds WORDS
                             (CSS, as in every step, without spaces)
    click CSS                click the element
    type CSS WORDS           clear the field and type WORDS
    choose CSS VALUE         set a <select>'s value (a change event)
    file CSS PATH            give a file input the file PATH
    eval JS                  run JS (a function's body); print
                             "= JSON" of what it returns
    shot NAME                the page's picture in SHOTS/NAME.png
    console                  print "console: LEVEL MESSAGE" for each
                             message of the browser's console since
                             the last console step; the errors count
    noerrors                 fail if the console holds an error (SEVERE)
    sleep SECONDS

Options: --size WxH (360x740), --lang (zh-CN: the page's language and
the browser's locale, that of its own controls), --shots DIR,
--profile DIR (the browser's profile: localStorage lasts across runs),
--timeout SECONDS for wait, gone and text (10).

Exit status 77 (skipped) with one line when chromium or chromedriver is
missing.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM = ('/usr/bin/chromium', '/usr/lib/chromium/chromium')
DRIVER = ('/usr/bin/chromedriver', '/usr/lib/chromium/chromedriver')
ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'


def first(paths):
    for p in paths:
        if os.access(p, os.X_OK):
            return p
    return None


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class StepError(Exception):
    pass


class Driver:
    """One chromedriver and one session of it."""

    def __init__(self, args):
        self.timeout = args.timeout
        self.shots = args.shots
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        # The browser's own controls (a date picker, a file button) and
        # its Intl follow the locale of its environment, not --lang: a
        # phone set to Chinese shows 2026/12/15 and 选择文件.
        env = dict(os.environ)
        loc = args.lang.replace('-', '_')
        env.update(LANGUAGE=loc, LC_ALL=loc + '.UTF-8', LANG=loc + '.UTF-8')
        self.proc = subprocess.Popen(
            [first(DRIVER), '--port=%d' % self.port],
            stdout=self.log, stderr=self.log, env=env)
        self.base = 'http://127.0.0.1:%d' % self.port
        deadline = time.time() + 20
        while True:
            try:
                self.call('GET', '/status')
                break
            except (OSError, StepError):
                if time.time() > deadline or self.proc.poll() is not None:
                    raise StepError('chromedriver does not start')
                time.sleep(0.1)
        w, h = args.size.split('x')
        opts = [
            '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-dev-shm-usage', '--no-first-run',
            '--no-default-browser-check', '--disable-extensions',
            '--disable-background-networking', '--disable-sync',
            '--hide-scrollbars', '--force-device-scale-factor=2',
            '--window-size=%s,%s' % (w, h),
            '--lang=' + args.lang, '--accept-lang=' + args.lang,
            '--user-data-dir=' + args.profile,
        ]
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'goog:chromeOptions': {
                'binary': first(CHROMIUM), 'args': opts,
                'prefs': {'intl.accept_languages': args.lang},
                # Touch and a phone's viewport, as the page sees them.
                'mobileEmulation': {'deviceMetrics': {
                    'width': int(w), 'height': int(h), 'pixelRatio': 2,
                    'touch': True}},
            },
            'goog:loggingPrefs': {'browser': 'ALL'},
        }}}
        self.session = self.call('POST', '/session', caps)['sessionId']
        self.path = '/session/' + self.session

    def call(self, method, path, body=None):
        if body is None and method == 'POST':
            body = {}
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                out = json.load(res)
        except urllib.error.HTTPError as e:
            try:
                out = json.load(e)
            except ValueError:
                out = {'value': {'message': 'HTTP %d' % e.code}}
            v = out.get('value') or {}
            raise StepError(v.get('message', str(v)).split('\n')[0])
        return out.get('value')

    def do(self, method, path, body=None):
        return self.call(method, self.path + path, body)

    def find(self, css):
        v = self.do('POST', '/element', {'using': 'css selector',
                                         'value': css})
        return v[ELEMENT]

    def js(self, script, *args):
        return self.do('POST', '/execute/sync',
                       {'script': script, 'args': list(args)})

    def until(self, what, test):
        deadline = time.time() + self.timeout
        while True:
            try:
                if test():
                    return
            except StepError:
                pass
            if time.time() > deadline:
                raise StepError('not after %gs: %s' % (self.timeout, what))
            time.sleep(0.1)

    def shown(self, css):
        return self.js('const e = document.querySelector(arguments[0]);'
                       'return !!e && e.getClientRects().length > 0;', css)

    def text_of(self, css):
        return self.js('const e = document.querySelector(arguments[0]);'
                       'return e ? e.textContent : null;', css)

    def console(self):
        try:
            return self.do('POST', '/se/log', {'type': 'browser'}) or []
        except StepError:
            return self.call('POST', self.path + '/log',
                             {'type': 'browser'}) or []

    def quit(self):
        try:
            self.do('DELETE', '')
        except (OSError, StepError):
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def step(d, line, seen):
    """Runs one step; returns what to print after "ok"."""
    cmd, _, rest = line.partition(' ')
    rest = rest.strip()
    if cmd == 'open':
        d.do('POST', '/url', {'url': rest})
        d.until('the page loaded', lambda: d.js(
            'return document.readyState') == 'complete')
    elif cmd == 'wait':
        d.until(rest + ' shown', lambda: d.shown(rest))
    elif cmd == 'gone':
        d.until(rest + ' gone', lambda: d.js(
            'return document.querySelector(arguments[0]) === null', rest))
    elif cmd == 'text':
        css, words = rest.split(' ', 1)
        d.until('%s holds %r' % (css, words),
                lambda: words in (d.text_of(css) or ''))
    elif cmd == 'click':
        d.until(rest + ' shown', lambda: d.shown(rest))
        d.do('POST', '/element/%s/click' % d.find(rest))
    elif cmd == 'type':
        css, words = rest.split(' ', 1)
        e = d.find(css)
        d.do('POST', '/element/%s/clear' % e)
        d.do('POST', '/element/%s/value' % e, {'text': words})
    elif cmd == 'choose':
        css, value = rest.split(' ', 1)
        ok = d.js('const e = document.querySelector(arguments[0]);'
                  'if (!e) return false; e.value = arguments[1];'
                  'e.dispatchEvent(new Event("change", {bubbles: true}));'
                  'return e.value === arguments[1];', css, value)
        if not ok:
            raise StepError('%s has no option %r' % (css, value))
    elif cmd == 'file':
        css, path = rest.split(' ', 1)
        d.do('POST', '/element/%s/value' % d.find(css),
             {'text': os.path.abspath(path)})
    elif cmd == 'eval':
        return '= ' + json.dumps(d.js(rest), ensure_ascii=False)
    elif cmd == 'shot':
        if not d.shots:
            raise StepError('no --shots directory')
        os.makedirs(d.shots, exist_ok=True)
        png = base64.b64decode(d.do('GET', '/screenshot'))
        with open(os.path.join(d.shots, rest + '.png'), 'wb') as f:
            f.write(png)
    elif cmd in ('console', 'noerrors'):
        seen.extend(d.console())
        if cmd == 'console':
            for m in seen:
                print('console: %s %s' % (m.get('level'), m.get('message')))
            seen.clear()
        else:
            bad = [m for m in seen if m.get('level') == 'SEVERE']
            if bad:
                raise StepError('; '.join(m.get('message', '')
                                          for m in bad))
    elif cmd == 'sleep':
        time.sleep(float(rest))
    else:
        raise StepError('no such step')
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--size', default='360x740')
    p.add_argument('--lang', default='zh-CN')
    p.add_argument('--shots')
    p.add_argument('--profile')
    p.add_argument('--timeout', type=float, default=10)
    args = p.parse_args()
    if first(CHROMIUM) is None or first(DRIVER) is None:
        print('skip: chromium or chromedriver is missing '
              '(apt-get install chromium chromium-driver)')
        return 77
    tmp = None
    if args.profile is None:
        tmp = tempfile.mkdtemp(prefix='hazardd-browser.')
        args.profile = tmp
    d = None
    rc = 0
    try:
        d = Driver(args)
        seen = []
        for line in sys.stdin:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            try:
                out = step(d, line, seen)
            except (StepError, OSError, ValueError, KeyError) as e:
                print('error %s: %s' % (line, e))
                rc = 1
                break
            print('ok %s%s' % (line, '' if out is None else '\n' + out))
            sys.stdout.flush()
    except StepError as e:
        print('error starting the browser: %s' % e)
        rc = 1
    finally:
        if d is not None:
            d.quit()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == '__main__':
    sys.exit(main())

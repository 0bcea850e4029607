# kithmail_demo.py - Ana Rivera's two years of mail: the demo corpus and its manifest.
"""The demo mailbox of scripts/gen-mailbox: real relationships with their
rhythms and every kind of mail that must not pass for one.  The manifest
says what a correct reading of it finds, with reasons."""

import base64
import datetime as dt

from kithmail_cases import Cases
from kithmail import (DAY, HOUR, ME, ME_NAME, ME_SPELLING, Maildir, fmt_addr,
		      fmt_subject, fold_list, header_of, iso, render, rfc2822, set_header)


class P:
	"""A correspondent."""

	def __init__(self, key, name, addr, kind, period=0, me="home", mode="q", tz=60, **kw):
		self.key, self.name, self.addr, self.kind = key, name, addr, kind
		self.period, self.me, self.mode, self.tz = period, me, mode, tz
		self.domain = addr.split("@")[1].lower()
		self.opts = kw


HUMANS = [
	# inner circle: weekly
	P("maya", "Maya Chen", "maya@chen.example", "inner", 7, me="gmail", tz=-420),
	P("jonas", "Jonas Berg", "jonas.berg@work.example", "inner", 7, me="work"),
	P("priya", "Priya Natarajan", "priya@natarajan.example", "inner", 9, tz=330),
	P("emile", "Émile Durand", "emile.durand@lumiere.example", "inner", 10, mode="q",
	  subjects=["Café vendredi ?", "Les photos de l'été", "Déjà lu ?"]),
	P("sam", "Sam Okafor", "sam@okafor.example", "inner", 12, tz=0),
	# close: monthly
	P("carol", "Carol Jensen", "carol@jensen.example", "close", 30, invites=True, tz=-300),
	P("taro", "山田 太郎", "taro.yamada@yamada.example", "close", 30, mode="b", tz=540,
	  subjects=["来週の予定", "東京出張について"]),
	P("lena", "Lena Fischer", "lena.fischer@work.example", "close", 28, me="work"),
	P("tomas", "Tomás Ortega", "tomas@ortega.example", "close", 35, mode="raw", long_threads=True),
	P("daniel", "Daniel Kim", "dkim@work.example", "close", 30, me="work", outlook=True, tz=-480),
	P("grace", "Grace Liu", "grace@liu.example", "close", 30, tz=480),
	P("helen", "Helen Park", "helen.park@work.example", "close", 32, me="work", assistant=True),
	P("noah", "Noah Williams", "noah@williams.example", "close", 30, tz=-300),
	P("sofia", "Sofia Rossi", "sofia@rossi.example", "close", 30, casefold=True),
	P("jurgen", "Jürgen Bauer", "juergen@xn--bcher-kva.example", "close", 40, mode="raw", idn=True),
	# friends: quarterly
	P("ines", "Inès Moreau", "ines@moreau.example", "friends", 80, me="gmail"),
	P("ben", "Ben Carter", "ben@carter.example", "friends", 90, tz=0),
	P("aisha", "Aisha Khan", "aisha.khan@khan.example", "friends", 85, tz=300),
	P("lucas", "Lucas Silva", "lucas@silva.example", "friends", 95, tz=-180),
	P("hannah", "Hannah Novak", "hannah@novak.example", "friends", 90),
	P("omar", "Omar Haddad", "omar@haddad.example", "friends", 100, tz=120),
	P("zoe", "Zoe Adams", "zoe@adams.example", "friends", 90, tz=0),
	P("felix", "Felix Wagner", "felix@wagner.example", "friends", 85),
	P("ravi", "Ravi Mehta", "ravi@mehta.example", "friends", 90, tz=330),
	P("chloe", "Chloe Martin", "chloe@martin.example", "friends", 75, me="gmail"),
	P("diego", "Diego Fernández", "diego@fernandez.example", "friends", 90, mode="raw", tz=-360),
	P("nora", "Nora Lindqvist", "nora@lindqvist.example", "friends", 100),
	P("kwame", "Kwame Mensah", "kwame@mensah.example", "friends", 80, me="gmail", tz=0),
	P("john", "John Smith", "john@smith-family.example", "friends", 95, tz=0),
	P("bobby", "Robert \"Bobby\" Tables'); DROP TABLE people;--", "bobby@tables.example",
	  "friends", 90, hostile=True),
	P("bakery", "Ops", "info@bakery.example", "role", 0),
	# yearly
	P("rosa", "Rosa Rivera", "rosa.rivera@familia.example", "yearly", 300),
	P("reed", "Alan Reed", "a.reed@university.example", "yearly", 330, tz=0),
	P("mei", "Mei Wong", "mei@wong.example", "yearly", 280, tz=480),
	P("pieter", "Pieter de Vries", "pieter@devries.example", "yearly", 320),
	P("kate", "Kate Brown", "kate.brown@brown.example", "yearly", 300, tz=-300),
	P("yusuf", "Yusuf Demir", "yusuf@demir.example", "yearly", 340, tz=180),
	# dormant: monthly, then silence for more than a year
	P("laura", "Laura Gómez", "laura@gomez.example", "dormant", 30, stop=420, mode="q"),
	P("victor", "Victor Huang", "victor@huang.example", "dormant", 30, stop=470, tz=480),
	P("isabel", "Isabel Costa", "isabel@costa.example", "dormant", 35, stop=520, tz=0),
	P("peter", "Peter Olsen", "peter@olsen.example", "dormant", 30, stop=450),
	P("fatima", "Fatima Zahra", "fatima@zahra.example", "dormant", 40, stop=560, tz=60),
	# an old colleague whose address died
	P("marco", "Marco Bianchi", "marco@oldjob.example", "dead", 30, stop=300),
	# a stranger who asks for something
	P("rachel", "Rachel Adler", "rachel@adler-ventures.example", "newcomer", 0, tz=-300),
]
BY_KEY = {p.key: p for p in HUMANS}

# Days ago: their unanswered new thread (owed) / Ana's (awaiting).
OWED = {"grace": 4, "ben": 12, "rachel": 10, "aisha": 26}
AWAITING = {"zoe": 9, "felix": 16, "ravi": 33}

TEAM_ONLY = [  # colleagues only ever met in big Cc threads
	("Kim, Daniel", "daniel.kim@work.example"), ("Oliver Grant", "oliver.grant@work.example"),
	("Marta Nowak", "marta.nowak@work.example"), ("Kenji Sato", "kenji.sato@work.example"),
	("Fiona Walsh", "fiona.walsh@work.example"), ("Arjun Rao", "arjun.rao@work.example"),
	("Beatriz Lima", "beatriz.lima@work.example"), ("Tom Baker", "tom.baker@work.example"),
	("Sven Larsen", "sven.larsen@work.example"),
]
TEAM = ["jonas", "lena", "daniel", "helen"]
CLIMBING = ["maya", "lena", "ines", "kwame", "chloe"]

PERSONAL_SUBJECTS = [
	"Coffee next week?", "Photos from Saturday", "That book you mentioned", "Dinner on Friday",
	"Quick question", "This weekend?", "Climbing on Thursday?", "How are things?", "Catching up",
	"The recipe", "Podcast recommendation", "Trip planning", "Birthday plans", "Moving help",
	"Concert tickets", "Long time!", "Your new flat", "Thanks for yesterday",
]
WORK_SUBJECTS = [
	"Q3 roadmap", "Draft for review", "1:1 agenda", "Hiring loop feedback", "Budget numbers",
	"Customer call notes", "Launch checklist", "Design doc comments", "Offsite logistics",
	"Incident follow-up", "Quarterly planning", "Metrics dashboard",
]
YEARLY_SUBJECTS = ["Happy birthday!", "Happy new year", "News from us", "Season's greetings"]
BODIES = [
	"Sounds good, talk soon.", "Let me know what you think.", "Thanks, that helps a lot!",
	"I'll bring the rest on Thursday.", "Attached the notes from last time.",
	"Could we move it by an hour?", "Great to hear from you!", "Ha, yes, exactly that.",
	"See you then.", "I'll have a look tonight.",
]


class Demo:
	def __init__(self, rng, now):
		self.rng = rng
		self.now = now
		self.start = now - 730 * DAY
		self.msgs = []		# [internaldate, folder, bytes]
		self.nid = 0
		self.copies = 0		# INBOX messages also in Archive
		self.man = {
			"relationships": [], "automated": [], "owed": [], "awaiting": [],
			"dormant": [], "dead": [], "acquaintances": [], "bridges": [],
			"seeds": [], "event": {},
		}

	# -- primitives --
	def msgid(self, t, domain):
		self.nid += 1
		return "<%s.%d.%08x@%s>" % (dt.datetime.fromtimestamp(t, dt.timezone.utc)
					    .strftime("%Y%m%d%H%M%S"), self.nid,
					    self.rng.getrandbits(32), domain)

	def add(self, t, folders, headers, body):
		data = render(headers, body)
		for f in folders:
			self.msgs.append([t, f, data])

	def ana_from(self, me):
		return fmt_addr(ME_NAME, ME_SPELLING[me][0])

	def ana_to(self, me):
		return fmt_addr(ME_NAME, ME_SPELLING[me][1])

	def person_addr(self, p, as_sender):
		addr = p.addr
		if p.opts.get("casefold") and self.rng.random() < 0.3:
			addr = "Sofia@Rossi.EXAMPLE"
		if p.opts.get("idn") and not as_sender and self.rng.random() < 0.5:
			addr = "juergen@bücher.example"
		return fmt_addr(p.name, addr, p.mode)

	def base(self, t, tz, frm, to, subject, mid, cc=None, irt=None, refs=None, date=None):
		h = [("Date", date or rfc2822(t, tz)), ("From", frm), ("To", to)]
		if cc:
			h.append(("Cc", cc))
		h += [("Subject", subject), ("Message-ID", mid)]
		if irt:
			h.append(("In-Reply-To", irt))
		if refs:
			h.append(("References", fold_list(refs)))
		h += [("MIME-Version", "1.0"),
		      ("Content-Type", "text/plain; charset=UTF-8"),
		      ("Content-Transfer-Encoding", "8bit")]
		return h

	def body(self):
		return self.rng.choice(BODIES)

	# -- a conversation between Ana and one person --
	def exchange(self, p, t, ana_first, n, subject):
		"""n messages alternating between Ana and p from time t, always
		ending with Ana's reply.  Returns the last message's time, or None
		when the conversation would not be over by now."""
		times = [t]
		for _ in range(n - 1):
			times.append(times[-1] + int(self.rng.uniform(0.4, 30) * HOUR))
		if times[-1] > self.now - 6 * HOUR:
			return None
		refs = []
		outlook = p.opts.get("outlook")
		for i, when in enumerate(times):
			from_ana = (i % 2 == 0) == ana_first
			subj = subject if i == 0 else ("RE: " if outlook and not from_ana else "Re: ") + subject
			subj = fmt_subject(subj, p.mode)
			if from_ana:
				mid = self.msgid(when, ME_SPELLING[p.me][0].split("@")[1])
				to = self.person_addr(p, False)
				h = self.base(when, 60, self.ana_from(p.me), to, subj, mid,
					      irt=refs[-1] if refs else None, refs=list(refs))
				self.add(when, ["sent"], h, self.body())
			else:
				when += self.rng.randint(2, 40)
				mid = self.msgid(when, p.domain)
				frm = self.person_addr(p, True)
				if outlook:
					h = self.base(when, p.tz, frm, self.ana_to(p.me), subj, mid)
					h += [("Thread-Index", base64.b64encode(
						self.rng.getrandbits(176).to_bytes(22, "big")).decode()),
					      ("X-Auto-Response-Suppress", "All"),
					      ("X-Mailer", "Microsoft Outlook 16.0")]
				else:
					h = self.base(when, p.tz, frm, self.ana_to(p.me), subj, mid,
						      irt=refs[-1] if refs else None, refs=list(refs))
				if p.opts.get("assistant") and self.rng.random() < 0.4:
					h.insert(2, ("Sender", fmt_addr("Oliver Grant", "oliver.grant@work.example")))
				if p.opts.get("invites") and i == 0 and self.rng.random() < 0.4:
					self.invite(h, when, p)
					self.add(when, ["inbox"], h, self.vcal("REQUEST", when, p.addr))
				else:
					self.add(when, ["inbox"], h, self.body())
			refs.append(mid)
		return times[-1]

	def invite(self, h, when, p):
		for i, (k, _) in enumerate(h):
			if k == "Subject":
				h[i] = ("Subject", "Invitation: Lunch @ %s" %
					dt.datetime.fromtimestamp(when + 5 * DAY, dt.timezone.utc).strftime("%a %b %d, %Y"))
			if k == "Content-Type":
				h[i] = ("Content-Type", "text/calendar; charset=UTF-8; method=REQUEST")
		h.insert(2, ("Sender", "Google Calendar <calendar-notification@google.com>"))

	def vcal(self, method, when, organizer):
		start = dt.datetime.fromtimestamp(when + 5 * DAY, dt.timezone.utc).strftime("%Y%m%dT120000Z")
		return ("BEGIN:VCALENDAR\nMETHOD:%s\nBEGIN:VEVENT\nDTSTART:%s\nSUMMARY:Lunch\n"
			"ORGANIZER:mailto:%s\nEND:VEVENT\nEND:VCALENDAR" % (method, start, organizer))

	def subjects_for(self, p):
		if p.kind == "yearly":
			return YEARLY_SUBJECTS
		if p.opts.get("subjects") and self.rng.random() < 0.5:
			return p.opts["subjects"]
		return WORK_SUBJECTS if p.me == "work" else PERSONAL_SUBJECTS

	def rhythm(self, p, until):
		"""Conversations every ~p.period days from the start until `until`."""
		t = self.start + int(self.rng.uniform(0, p.period) * DAY)
		last = None
		while t < until:
			t = self.daytime(t, p.tz)
			ana_first = self.rng.random() < 0.5
			if p.opts.get("long_threads"):
				n = self.rng.choice([5, 6, 7]) if ana_first else self.rng.choice([4, 6])
				n += (n % 2 == 0) == ana_first
			else:
				n = self.rng.choice([3] * 6 + [5]) if ana_first else self.rng.choice([2] * 6 + [4])
			end = self.exchange(p, t, ana_first, n, self.rng.choice(self.subjects_for(p)))
			last = end or last
			t += int(p.period * self.rng.uniform(0.6, 1.4) * DAY)
		return last

	def daytime(self, t, tz):
		"""Move t to a waking hour of the sender's day."""
		local = (t + tz * 60) % DAY
		return t - local + int(self.rng.uniform(8, 21) * HOUR)

	def note(self, key, p, reason, **extra):
		d = {"address": p.addr if isinstance(p, P) else p[1],
		     "name": p.name if isinstance(p, P) else p[0], "reason": reason}
		d.update(extra)
		self.man[key].append(d)

	# -- the whole mailbox --
	def build(self):
		now = self.now
		for p in HUMANS:
			if p.kind in ("inner", "close", "friends", "yearly"):
				until = now - 2 * DAY
				if p.key in OWED:
					until = now - (OWED[p.key] + 4) * DAY
				if p.key in AWAITING:
					until = now - (AWAITING[p.key] + 4) * DAY
				self.rhythm(p, until)
				self.note("relationships", p, "%s: conversations every ~%d days, both ways"
					  % (p.kind, p.period))
			elif p.kind in ("dormant", "dead"):
				last = self.rhythm(p, now - p.opts["stop"] * DAY)
				if p.kind == "dormant":
					self.note("relationships", p, "monthly until %s, silent since" % iso(last))
					self.note("dormant", p, "last contact %s, more than a year ago" % iso(last))
		self.owed_and_awaiting()
		self.bakery()
		self.bounce()
		self.newsletters()
		self.lists()
		self.notifications()
		self.blasts()
		self.team_threads()
		self.climbing_threads()
		self.calendar_reply()
		self.auto_replies()
		self.self_notes()
		self.fixups()
		self.archive()
		self.list_posts_and_digests()
		# Last, and without the shared random stream: the rest of the mailbox stays as it was.
		self.event()
		self.man["bridges"].append({"address": BY_KEY["lena"].addr, "name": "Lena Fischer",
					    "reason": "in the work team's Cc threads and the climbing friends' threads"})
		# The people model's rules, one case each, likewise fixed.
		Cases(self).build()

	def owed_and_awaiting(self):
		for key, days in OWED.items():
			p = BY_KEY[key]
			t = self.daytime(self.now - days * DAY, p.tz)
			mid = self.msgid(t, p.domain)
			subj = "Could you send me the contact you mentioned?" if key != "rachel" else \
				"Introduction via Maya: 20 minutes next week?"
			cc = self.person_addr(BY_KEY["maya"], True) if key == "rachel" else None
			h = self.base(t, p.tz, self.person_addr(p, True), self.ana_to(p.me), subj, mid, cc=cc)
			self.add(t, ["inbox"], h, "Would love your help with this when you have a minute.")
			self.note("owed", p, "wrote to Ana (in To) %d days ago, a new thread, no answer" % days,
				  since=iso(t), subject=subj, message_id=mid)
		for key, days in AWAITING.items():
			p = BY_KEY[key]
			t = self.daytime(self.now - days * DAY, 60)
			mid = self.msgid(t, ME_SPELLING[p.me][0].split("@")[1])
			subj = "Are you free for a call this month?"
			h = self.base(t, 60, self.ana_from(p.me), self.person_addr(p, True), subj, mid)
			self.add(t, ["sent"], h, "It's been a while - let me know when suits you.")
			self.note("awaiting", p, "Ana wrote a new thread %d days ago, no answer" % days,
				  since=iso(t), subject=subj, message_id=mid)
			if key == "zoe":
				self.ooo(p, t + 90, mid, subj, "Auto-Submitted", "auto-replied")

	def ooo(self, p, t, irt, subj, header, value):
		mid = self.msgid(t, p.domain)
		h = self.base(t, p.tz, self.person_addr(p, True), self.ana_to(p.me),
			      "Automatic reply: " + subj, mid, irt=irt, refs=[irt])
		h += [(header, value), ("X-Auto-Response-Suppress", "All")]
		self.add(t, ["inbox"], h, "I am away until next week with limited access to email.")

	def auto_replies(self):
		# Out-of-office answers to Ana inside ordinary conversations.
		for key, header, value in (("jonas", "Auto-Submitted", "auto-replied"),
					   ("priya", "X-Autoreply", "yes"),
					   ("sam", "Precedence", "auto_reply")):
			p = BY_KEY[key]
			t = self.now - self.rng.randint(60, 300) * DAY
			sent = [m for m in self.msgs if m[1] == "sent" and m[0] < t and m[0] > t - 20 * DAY
				and p.addr.encode() in m[2]]
			if not sent:
				continue
			m = sent[-1]
			mid = m[2].split(b"\nMessage-ID: ")[1].split(b"\n")[0].decode()
			self.ooo(p, m[0] + 60, mid, "Your message", header, value)

	def bakery(self):
		p = BY_KEY["bakery"]
		for days in (200, 120):
			t = self.daytime(self.now - days * DAY, 60)
			self.exchange(p, t, True, 3, "Birthday cake order")
		self.note("relationships", p, "a role address that answered Ana's own mail twice "
			  "(reply-human)")

	def bounce(self):
		p = BY_KEY["marco"]
		t = self.daytime(self.now - 25 * DAY, 60)
		mid = self.msgid(t, "rivera.example")
		subj = "Long time no see"
		self.add(t, ["sent"], self.base(t, 60, self.ana_from("home"), fmt_addr(p.name, p.addr),
						subj, mid), "How have you been?")
		bt = t + 40
		bmid = self.msgid(bt, "mx.oldjob.example")
		boundary = "bounce-%08x" % self.rng.getrandbits(32)
		h = [("Return-Path", "<>"), ("Date", rfc2822(bt, 60)),
		     ("From", "Mail Delivery System <MAILER-DAEMON@mx.oldjob.example>"),
		     ("To", self.ana_to("home")), ("Subject", "Undelivered Mail Returned to Sender"),
		     ("Message-ID", bmid), ("Auto-Submitted", "auto-replied"),
		     ("X-Failed-Recipients", p.addr), ("MIME-Version", "1.0"),
		     ("Content-Type", 'multipart/report; report-type=delivery-status; boundary="%s"' % boundary)]
		body = ("--{b}\nContent-Type: text/plain; charset=us-ascii\n\n"
			"Your message could not be delivered: the mailbox does not exist.\n\n"
			"--{b}\nContent-Type: message/delivery-status\n\n"
			"Reporting-MTA: dns; mx.oldjob.example\n\n"
			"Final-Recipient: rfc822; {a}\nAction: failed\nStatus: 5.1.1\n\n"
			"--{b}\nContent-Type: text/rfc822-headers\n\n"
			"From: Ana Rivera <ana@rivera.example>\nTo: {a}\nSubject: {s}\nMessage-ID: {m}\n\n"
			"--{b}--").format(b=boundary, a=p.addr, s=subj, m=mid)
		self.add(bt, ["inbox"], h, body)
		self.note("dead", p, "Ana's mail to it bounced (multipart/report, X-Failed-Recipients)")
		self.note("automated", ("Mail Delivery System", "MAILER-DAEMON@mx.oldjob.example"),
			  "a bounce")

	def bulk(self, name, addr, period, subject, extra, mode="q", count_from=1, jitter=0.2):
		"""A sender of periodic automated mail; returns [(time, message-id)]."""
		out = []
		t = self.start + int(self.rng.uniform(0, period) * DAY)
		n = count_from
		domain = addr.split("@")[1]
		while t < self.now - HOUR:
			mid = self.msgid(t, domain)
			h = self.base(t, 0, fmt_addr(name, addr, mode), self.ana_to("home"),
				      subject % n if "%d" in subject else subject, mid)
			h += extra(n) if callable(extra) else extra
			self.add(t, ["inbox"], h, "Read this issue online.")
			out.append((t, mid))
			n += 1
			t += int(period * self.rng.uniform(1 - jitter, 1 + jitter) * DAY)
		return out

	def newsletters(self):
		unsub = lambda host: [("List-Unsubscribe", "<https://%s/unsubscribe?u=%08x>, <mailto:unsub@%s>"
					 % (host, self.rng.getrandbits(32), host)),
				       ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
		dan = self.bulk("Dan Smith", "dansmith@substack.com", 7, "Dan's Notes #%d",
				lambda n: unsub("dansmith.substack.com") + [("X-Mailer", "Substack")])
		self.bulk("The Weekly Loop", "weeklyloop@substack.com", 7, "The Weekly Loop: issue %d",
			  lambda n: unsub("weeklyloop.substack.com"))
		self.bulk("Bean & Leaf Roasters", "news@beanleaf.example", 14, "New beans are in!",
			  lambda n: unsub("beanleaf.us1.list-manage.example") +
			  [("Precedence", "bulk"), ("X-MC-User", "a1b2c3d4e5f6a7b8c9d0e1f2a"),
			   ("X-Mailer", "MailChimp Mailer - **CID5f3e9a1b2c**")])
		self.bulk("Wanderly", "digest@updates.wanderly.example", 10, "Your weekly travel ideas",
			  lambda n: [("Feedback-ID", "1.eu-west-1.%08x:AmazonSES" % self.rng.getrandbits(32)),
				     ("X-SES-Outgoing", "2024.01.01-54.240.0.1")])
		for name, addr in (("The Weekly Loop", "weeklyloop@substack.com"),
				   ("Bean & Leaf Roasters", "news@beanleaf.example"),
				   ("Wanderly", "digest@updates.wanderly.example")):
			self.note("automated", (name, addr), "newsletter (bulk)")
		# Ana answers two of Dan's issues and they talk: he is a person.
		p = P("dan", "Dan Smith", "dansmith@substack.com", "newsletter", 0, tz=-300)
		for idx in (len(dan) // 3, 2 * len(dan) // 3):
			t0, issue = dan[idx]
			times = [t0 + 5 * HOUR, t0 + 30 * HOUR, t0 + 40 * HOUR]
			refs = [issue]
			for i, when in enumerate(times):
				subj = "Re: Dan's Notes #%d" % (idx + 1)
				if i % 2 == 0:
					mid = self.msgid(when, "rivera.example")
					h = self.base(when, 60, self.ana_from("home"), fmt_addr(p.name, p.addr), subj,
						      mid, irt=refs[-1], refs=list(refs))
					self.add(when, ["sent"], h, "Loved this issue - one question about it.")
				else:
					mid = self.msgid(when, "substack.com")
					h = self.base(when, p.tz, fmt_addr(p.name, p.addr), self.ana_to("home"), subj,
						      mid, irt=refs[-1], refs=list(refs))
					h += unsub("dansmith.substack.com")
					self.add(when, ["inbox"], h, "Thanks for writing! Good question.")
				refs.append(mid)
		self.note("relationships", p, "a newsletter author Ana replied to twice; his answers "
			  "are In-Reply-To her mail (reply-human), though his issues are bulk")

	def lists(self):
		hikers = [("Alice Ng", "alice.ng@trail.example"), ("John Smith", "jsmith@trail.example"),
			  ("Pat Moreno", "pat@moreno.example"), ("Gus Ibarra", "gus@ibarra.example"),
			  ("Wen Li", "wen.li@trail.example"), ("Hiro Tanaka", "hiro@tanaka.example")]
		ant = [("Anne Person", "aperson@antproject.example"), ("Raj Patel", "raj@antproject.example"),
		       ("Eva Kowalski", "eva@kowal.example"), ("Mo Salah", "mo@salah.example")]
		t = self.start
		while True:
			t += int(self.rng.uniform(2, 12) * DAY)
			if t > self.now - DAY:
				break
			name, addr = self.rng.choice(hikers)
			mid = self.msgid(t, "trail.example")
			h = self.base(t, -420, fmt_addr("'%s' via Bay Hikers" % name, "hikers@googlegroups.com"),
				      "Bay Hikers <hikers@googlegroups.com>", self.rng.choice(
					      ["Saturday hike: Mt Tam", "Carpool for Sunday", "Trail conditions",
					       "Lost water bottle"]), mid)
			h += [("Reply-To", fmt_addr(name, addr)), ("X-Original-Sender", addr),
			      ("Mailing-list", "list hikers@googlegroups.com; contact hikers+owners@googlegroups.com"),
			      ("List-ID", "<hikers.googlegroups.com>"), ("Precedence", "list"),
			      ("List-Post", "<https://groups.google.com/group/hikers/post>, <mailto:hikers@googlegroups.com>")]
			self.add(t, ["inbox"], h, "Who is in?")
		t = self.start
		while True:
			t += int(self.rng.uniform(3, 16) * DAY)
			if t > self.now - DAY:
				break
			name, addr = self.rng.choice(ant)
			mid = self.msgid(t, "antproject.example")
			h = self.base(t, 0, fmt_addr("%s via Ant" % name, "ant@lists.antproject.example"),
				      "ant@lists.antproject.example", "[Ant] " + self.rng.choice(
					      ["Release 2.4 planning", "Build broken on ARM", "RFC: new plugin API",
					       "Meeting minutes"]), mid)
			h += [("Reply-To", fmt_addr(name, addr)), ("List-Id", "Ant developers <ant.lists.antproject.example>"),
			      ("List-Post", "<mailto:ant@lists.antproject.example>"), ("Precedence", "list")]
			self.add(t, ["inbox"], h, "See the thread for details.")
		self.note("automated", ("Bay Hikers", "hikers@googlegroups.com"), "Google Groups list ('X via Bay Hikers')")
		self.note("automated", ("Ant", "ant@lists.antproject.example"), "Mailman list (DMARC From rewrite)")
		for name, addr in hikers + ant:
			self.note("acquaintances", (name, addr), "only posts to a mailing list")

	def notifications(self):
		gh = [("Jonas Berg", "jberg"), ("Lena Fischer", "lfischer"), ("Octo Cat", "octocat"),
		      ("Maya Chen", "mayac")]
		t = self.start
		while True:
			t += int(self.rng.uniform(2, 12) * DAY)
			if t > self.now - HOUR:
				break
			name, login = self.rng.choice(gh)
			n = self.rng.randint(10, 900)
			mid = "<kith/kith/pull/%d/c%d@github.com>" % (n, self.rng.getrandbits(30))
			h = self.base(t, 0, fmt_addr(name, "notifications@github.com"),
				      "kith/kith <kith@noreply.github.com>", "Re: [kith/kith] Fix sync #%d (PR #%d)" % (n, n),
				      mid, cc="Ana Rivera <ana@rivera.example>, Mention <mention@noreply.github.com>")
			h += [("Reply-To", "kith/kith <reply+AB12%08X@reply.github.com>" % self.rng.getrandbits(32)),
			      ("List-ID", "kith/kith <kith.kith.github.com>"),
			      ("List-Unsubscribe", "<mailto:unsub+%08x@reply.github.com>" % self.rng.getrandbits(32)),
			      ("X-GitHub-Sender", login), ("X-GitHub-Reason", "mention"), ("Precedence", "list")]
			self.add(t, ["inbox"], h, "@ana can you take a look?")
		for who, addr, name_fmt, every, subj in (
				("Lena Fischer", "comments-noreply@docs.google.com", "%s (Google Docs)", 25,
				 "Q3 plan - comment added"),
				("Kwame Mensah", "messages-noreply@linkedin.com", "%s via LinkedIn", 45,
				 "You have a new message"),
				("Tom Baker", "invitations@linkedin.com", "%s via LinkedIn", 90,
				 "I'd like to join your network"),
				("Northbank", "no-reply@northbank.example", "%s", 30, "Your statement is ready"),
				("SkyJet", "noreply@skyjet.example", "%s", 80, "Your booking confirmation"),
				("Tix", "do-not-reply@tix.example", "%s", 120, "Your tickets"),
				("CloudHost status", "alerts@status.cloudhost.example", "%s", 20, "Incident resolved")):
			self.bulk(name_fmt % who, addr, every, subj, [], jitter=0.5)
			self.note("automated", (name_fmt % who, addr), "notification")
		self.note("automated", ("GitHub", "notifications@github.com"),
			  "notification (X-GitHub-Sender); its display names are no people")

	def blasts(self):
		# Someone's announcement with Ana in Bcc.
		for name, addr, days, subj in (("Nina Alvarez", "nina@alvarez.example", 300, "We've moved!"),
					       ("DevConf Team", "hello@devconf.example", 150, "DevConf 2025: save the date")):
			t = self.daytime(self.now - days * DAY, 0)
			mid = self.msgid(t, addr.split("@")[1])
			h = self.base(t, 0, fmt_addr(name, addr), "undisclosed-recipients:;", subj, mid)
			self.add(t, ["inbox"], h, "News for everyone we know.")
			self.note("acquaintances", (name, addr), "only mailed Ana in Bcc (a blast)")
		# Ana's own blast to 40 people: nobody becomes a relationship by it.
		t = self.daytime(self.now - 420 * DAY, 60)
		mid = self.msgid(t, "rivera.example")
		known = ["maya", "sam", "priya", "carol", "grace", "noah", "ines", "ben", "hannah", "omar",
			 "rosa", "mei"]
		strangers = [("Blast Friend %02d" % i, "friend%02d@blast.example" % i) for i in range(1, 29)]
		rcpt = [fmt_addr(BY_KEY[k].name, BY_KEY[k].addr, BY_KEY[k].mode) for k in known] + \
		       [fmt_addr(n, a) for n, a in strangers]
		subj = "Big news: I'm starting a new job"
		self.add(t, ["sent"], self.base(t, 60, self.ana_from("home"), fold_list(rcpt), subj, mid),
			 "Wanted you all to hear it from me first.")
		for n, a in strangers:
			self.note("acquaintances", (n, a), "only in Ana's blast to 40 people")
		for i, key in enumerate(("maya", "sam")):
			p = BY_KEY[key]
			rt = t + (3 + i) * HOUR
			rmid = self.msgid(rt, p.domain)
			self.add(rt, ["inbox"], self.base(rt, p.tz, self.person_addr(p, True), self.ana_to("home"),
							  "Re: " + subj, rmid, irt=mid, refs=[mid]), "Congratulations!!")
			at = rt + 2 * HOUR
			self.add(at, ["sent"], self.base(at, 60, self.ana_from("home"), self.person_addr(p, True),
							 "Re: " + subj, self.msgid(at, "rivera.example"),
							 irt=rmid, refs=[mid, rmid]), "Thank you!")

	def group_thread(self, t, members, subject, domain_me, to_ana_field, n):
		"""A reply-all thread among members (names, addresses, tz) and Ana."""
		refs = []
		people = list(members)
		for i in range(n):
			# Ana always has the last word, so nobody here is owed a reply.
			ana = i == n - 1 or (i > 0 and self.rng.random() < 0.3)
			if ana:
				frm, dom, tz = self.ana_from(domain_me), ME_SPELLING[domain_me][0].split("@")[1], 60
				rcpt = [a for a in people]
			else:
				name, addr, mode, tz = people[0] if i == 0 else self.rng.choice(people)
				frm, dom = fmt_addr(name, addr, mode), addr.split("@")[1]
				rcpt = [a for a in people if a[1] != addr]
			mid = self.msgid(t, dom)
			rcpt_fmt = [fmt_addr(r[0], r[1], r[2]) for r in rcpt]
			if not ana:
				rcpt_fmt.insert(0, to_ana_field)
			half = len(rcpt_fmt) // 2
			h = self.base(t, tz, frm, fold_list(rcpt_fmt[:half + 1]), ("Re: " if i else "") + subject,
				      mid, cc=fold_list(rcpt_fmt[half + 1:]), irt=refs[-1] if refs else None,
				      refs=list(refs))
			self.add(t, ["sent"] if ana else ["inbox"], h, self.body())
			refs.append(mid)
			t += int(self.rng.uniform(0.5, 20) * HOUR)

	def team_threads(self):
		team = [(BY_KEY[k].name, BY_KEY[k].addr, "q", BY_KEY[k].tz) for k in TEAM] + \
		       [(n, a, "q", 60) for n, a in TEAM_ONLY]
		t = self.start + 10 * DAY
		while t < self.now - 30 * DAY:
			members = [team[0 + self.rng.randrange(len(team))]] + team
			members = list(dict.fromkeys(members))
			self.group_thread(self.daytime(t, 60), members, self.rng.choice(WORK_SUBJECTS) + " (all hands)",
					  "work", self.ana_to("work"), self.rng.randint(3, 7))
			t += int(self.rng.uniform(15, 40) * DAY)
		for n, a in TEAM_ONLY:
			self.note("acquaintances", (n, a), "only in the team's big Cc threads (13 people)")

	def climbing_threads(self):
		crew = [(BY_KEY[k].name, BY_KEY[k].addr, BY_KEY[k].mode, BY_KEY[k].tz) for k in CLIMBING]
		t = self.start + 20 * DAY
		while t < self.now - 20 * DAY:
			self.group_thread(self.daytime(t, -420), crew, self.rng.choice(
				["Climbing trip in May", "Gym on Tuesday?", "Yosemite weekend", "Gear swap"]),
				"gmail", self.ana_to("gmail"), self.rng.randint(3, 6))
			t += int(self.rng.uniform(40, 80) * DAY)

	def calendar_reply(self):
		# Ana invites Jonas; he accepts (a calendar REPLY: light, no reply bonus).
		p = BY_KEY["jonas"]
		t = self.daytime(self.now - 200 * DAY, 60)
		mid = self.msgid(t, "work.example")
		h = self.base(t, 60, self.ana_from("work"), self.person_addr(p, True), "Invitation: Weekly sync", mid)
		h[-2] = ("Content-Type", "text/calendar; charset=UTF-8; method=REQUEST")
		self.add(t, ["sent"], h, self.vcal("REQUEST", t, ME["work"]))
		at = t + 2 * HOUR
		h = self.base(at, p.tz, self.person_addr(p, True), self.ana_to("work"), "Accepted: Weekly sync",
			      self.msgid(at, p.domain), irt=mid, refs=[mid])
		h[-2] = ("Content-Type", "text/calendar; charset=UTF-8; method=REPLY")
		self.add(at, ["inbox"], h, self.vcal("REPLY", t, ME["work"]))

	def self_notes(self):
		for days in (500, 340, 200, 90, 30):
			t = self.daytime(self.now - days * DAY, 60)
			h = self.base(t, 60, self.ana_from("home"), fmt_addr(ME_NAME, ME["home"]),
				      "note to self: ideas", self.msgid(t, "rivera.example"))
			self.add(t, ["sent", "inbox"], h, "Call the bank; book the dentist.")

	def fixups(self):
		"""Shapes easier to make after the fact: Bobby's subjects carry a
		terminal escape and SQL; one of Noah's messages has a Date in 2036
		(a broken clock: INTERNALDATE must win)."""
		evil = b"\x1b[31mURGENT\x1b[0m \"; DROP TABLE messages; --"
		bobby = [m for m in self.msgs if b"<bobby@tables.example>" in (header_of(m[2], b"From") or b"")]
		for m in bobby[-3:]:
			set_header(m, b"Subject", evil + b" " + header_of(m[2], b"Subject"))
		noah = [m for m in self.msgs if b"<noah@williams.example>" in (header_of(m[2], b"From") or b"")
			and header_of(m[2], b"In-Reply-To") is None]
		set_header(noah[-1], b"Date", b"Tue, 01 Jan 2036 09:00:00 +0000")

	def list_posts_and_digests(self):
		"""Made last and without the random stream, so the rest of the
		mailbox stays as it was.  Ana posts to the Ant list on three days;
		the list's copy of each (From rewritten to the list, the same
		Message-ID) lands in INBOX, sometimes before her Sent copy is read.
		Irene, a colleague Ana wrote to on two days 14 months ago, sends a
		weekly digest to 63 people: a blast, no contact."""
		for i, days in enumerate((200, 120, 45)):
			t = self.now - days * DAY + 10 * HOUR
			mid = "<ant-post-%d@rivera.example>" % i
			h = self.base(t, 60, self.ana_from("home"), "ant@lists.antproject.example",
				      "[Ant] Patch %d: fix the ARM build" % (i + 1), mid)
			self.add(t, ["sent"], h, "Patch attached.")
			h = self.base(t + 60, 0, fmt_addr("Ana Rivera via Ant", "ant@lists.antproject.example"),
				      "ant@lists.antproject.example", "[Ant] Patch %d: fix the ARM build" % (i + 1), mid)
			h += [("Reply-To", self.ana_from("home")),
			      ("List-Id", "Ant developers <ant.lists.antproject.example>"),
			      ("List-Post", "<mailto:ant@lists.antproject.example>"), ("Precedence", "list")]
			self.add(t + 60, ["inbox"], h, "Patch attached.")
		irene = ("Irene Vogel", "irene.vogel@work.example")
		for i, days in enumerate((430, 425)):
			t = self.now - days * DAY + 11 * HOUR
			self.add(t, ["sent"], self.base(t, 60, self.ana_from("work"), fmt_addr(*irene),
							"Newsletter idea" if i == 0 else "Re: Newsletter idea",
							"<irene-%d@work.example>" % i), "What do you think?")
		crowd = fold_list([self.ana_to("work")] + ["reader%02d@work.example" % k for k in range(62)])
		for week in range(60):
			t = self.now - (425 - 7 * week) * DAY + 9 * HOUR
			if t > self.now - DAY:
				break
			self.add(t, ["inbox"], self.base(t, 60, fmt_addr(*irene), crowd, "Work digest #%d" % (week + 1),
							  "<digest-%d@work.example>" % week), "This week at work.")
		for a in self.man["automated"]:
			if a and a["address"] == "ant@lists.antproject.example":
				a["reason"] += "; Ana's posts to it are list posts"
				a["ana_posts"] = True
		self.note("relationships", irene, "Ana wrote to her on two days")
		self.note("dormant", irene, "last contact 14 months ago: her weekly digests to 63 people are no contact")

	def archive(self):
		"""Inbound mail older than a year is mostly archived (moved); a few
		recent messages are copied to Archive too (same Message-ID)."""
		for m in self.msgs:
			if m[1] != "inbox":
				continue
			age = self.now - m[0]
			r = self.rng.random()
			if age > 365 * DAY and r < 0.4:
				m[1] = "archive"
			elif age > 30 * DAY and r < 0.05:
				self.msgs.append([m[0], "archive", m[2]])
				self.copies += 1

	def event(self):
		"""The meetup's three new ties (EVENT_PEOPLE), and an invite for `kith brief --ics`."""
		now, n = self.now, 0
		at = now - EVENT_AGO * DAY
		people = []
		for key, name, addr, state, ana_days, their_days in EVENT_PEOPLE:
			p = P(key, name, addr, "seed")
			prev = None
			for ago in sorted(set(ana_days + their_days), reverse=True):
				t = now - ago * DAY + 10 * HOUR
				n += 1
				ana = ago in ana_days
				mid = "<meetup.%d.%s@%s>" % (n, key, "rivera.example" if ana else p.domain)
				subj = ("Re: " if prev else "") + "Great to meet you in Lisbon"
				frm, to = (self.ana_from("home"), fmt_addr(name, addr)) if ana else \
					(fmt_addr(name, addr), self.ana_to("home"))
				h = self.base(t, 60 if ana else 0, frm, to, subj, mid, irt=prev, refs=[prev] if prev else None)
				self.add(t, ["sent" if ana else "inbox"], h, "Lovely talking at the meetup.")
				prev = mid
			reasons = {
				"growing": "met at %s %d days ago; answered, and they write since" % (EVENT, EVENT_AGO),
				"waiting": "met at %s; Ana wrote twice, never an answer" % EVENT,
				"lost": "met at %s; Ana wrote once the next day, nothing for more than 3 months" % EVENT,
			}
			self.note("seeds", p, reasons[state], state=state, event=EVENT)
			# What the mail alone says: answered, or written to on two days, makes a relationship.
			self.note("relationships" if their_days or len(ana_days) > 1 else "acquaintances", p,
				  "new since %s: %s" % (EVENT, state))
			people.append((name, addr))
		people.append(("Maya Chen", BY_KEY["maya"].addr))
		people.append(("Yann Stranger", "yann@stranger.example"))
		self.man["event"] = {"name": EVENT, "date": iso(at), "people": [a for _, a in people[:3]],
				     "unknown": ["yann@stranger.example"], "invite": event_invite(now, people)}


# Three people first met at a meetup 100 days ago (the user records it with
# `kith event add` and `kith log WHO --kind event --event NAME`): one answered
# and keeps writing (growing), one never answered two messages (waiting),
# one was written to once and not since the meetup (lost: 3 months silent).
EVENT = "Lisbon product meetup"
EVENT_AGO = 100
EVENT_PEOPLE = [
	# key, name, address, state, days Ana wrote, days they wrote (ago)
	("tess", "Tess Moura", "tess@moura.example", "growing", [99, 60, 20], [98, 59, 21]),
	("wim", "Wim Jansen", "wim@jansen.example", "waiting", [99, 70], []),
	("lea", "Lea Kovač", "lea@kovac.example", "lost", [99], []),
]


def event_invite(now, people):
	"""A calendar invite as a mail client saves it: Ana organises, lines
	folded at 75 octets, quoted names, MAILTO: in capitals, a stranger."""
	start = dt.datetime.fromtimestamp(now + 2 * DAY, dt.timezone.utc).strftime("%Y%m%dT160000Z")
	lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example Corp//Calendar 1.0//EN",
		 "METHOD:REQUEST", "BEGIN:VEVENT", "UID:lisbon-followup@rivera.example",
		 "DTSTART:" + start, "SUMMARY:Lisbon meetup: follow-up drinks",
		 'ORGANIZER;CN="Ana Rivera":mailto:' + ME["home"]]
	for name, addr in people:
		lines.append('ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;'
			     'RSVP=TRUE;CN="%s":MAILTO:%s' % (name, addr))
	lines += ["END:VEVENT", "END:VCALENDAR"]
	out = []
	for line in lines:
		raw = line.encode()
		first = True
		while len(raw) > 75:
			cut = 75 if first else 74
			while (raw[cut] & 0xC0) == 0x80:	# never inside a UTF-8 character
				cut -= 1
			out.append((b"" if first else b" ") + raw[:cut])
			raw, first = raw[cut:], False
		out.append((b"" if first else b" ") + raw)
	return b"\r\n".join(out).decode() + "\r\n"


def run_demo(args, rng, now):
	d = Demo(rng, now)
	d.build()
	d.msgs.sort(key=lambda m: m[0])
	md = Maildir(args.out, now)
	for t, folder, data in d.msgs:
		md.write(folder, t, data)
	# A list's copy of Ana's post (the same Message-ID, From the list) is a message of its own.
	unique = len({(header_of(m[2], b"Message-ID"), header_of(m[2], b"From")) for m in d.msgs})
	man = d.man
	man["automated"] = [a for a in man["automated"] if a]
	man.update({
		"size": "demo", "seed": args.seed, "now": iso(now), "me": [ME["home"], ME["work"], ME["gmail"]],
		"user": ME_NAME,
		"circles": {"work": {"members": ["*@work.example"], "cadence": "30d"},
			    "climbing": {"members": [BY_KEY[k].addr for k in CLIMBING], "cadence": "60d"}},
		"counts": dict(md.counts, messages=unique, archive_copies=d.copies),
		"notes": ("Ordinary conversations always end with Ana's reply; owed and awaiting list "
			  "the designed unanswered new threads."),
	})
	return md, man

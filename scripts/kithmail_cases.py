# kithmail_cases.py - the demo mailbox's cases for the people model's rules.
"""One small story per rule of the people model, the shapes seen on real
mail: Exchange threads without In-Reply-To, job changes and address
shapes without display names, the user's own second address, role
mailboxes, a correspondent who never gives a name, a six-day rhythm and
a yearly greeting.  Made after the rest of the demo and without its
random stream, so the rest of the mailbox stays as it was; every
message's time, Message-ID and Thread-Index is fixed here.

Each case is noted in the manifest under "cases": the rule, the
addresses, and what a correct reading finds (the owner's expectation,
not kith's output)."""

import base64

from kithmail import DAY, HOUR, ME, ME_NAME, fmt_addr

ANA_WORK = fmt_addr(ME_NAME, ME["work"])
ANA_HOME = fmt_addr(ME_NAME, ME["home"])
OLD_HOST = "ana.rivera@oldhost.example"
ANA_OLD = fmt_addr(ME_NAME + " (E-mail)", OLD_HOST)


def thread_index(conv, replies):
	"""An Outlook Thread-Index: 22 bytes naming the conversation (a time
	and a GUID, here made from conv), then 5 bytes for each reply in it."""
	root = bytes((conv * 37 + i * 11) % 256 for i in range(22))
	child = b"".join(bytes((conv + r * 7 + i) % 256 for i in range(5)) for r in range(replies))
	return base64.b64encode(root + child).decode()


class Cases:
	def __init__(self, demo):
		self.d = demo
		self.now = demo.now
		self.n = 0

	def at(self, days, hour=10):
		return self.now - days * DAY + hour * HOUR

	def mid(self, tag, domain):
		self.n += 1
		return "<case-%s-%d@%s>" % (tag, self.n, domain)

	def mail(self, folder, t, frm, to, subject, mid, cc=None, irt=None, extra=(), tz=60):
		h = self.d.base(t, tz, frm, to, subject, mid, cc=cc, irt=irt, refs=[irt] if irt else None)
		self.d.add(t, [folder], h + list(extra), "Thanks - see you soon." if folder == "sent" else
			   "Here it is, let me know.")

	def note(self, rule, what, **kw):
		kw.update({"rule": rule, "what": what})
		self.d.man.setdefault("cases", []).append(kw)

	def talk(self, tag, addr, days, ana_first=True, name=None, me=ANA_HOME, subject="Catching up", gap=3):
		"""One short exchange on each of days: Ana writes and they answer
		(In-Reply-To hers), or the other way round; Ana has the last word."""
		domain = addr.split("@")[1]
		who = fmt_addr(name, addr) if name else "<%s>" % addr
		mine = me.split("@")[1].rstrip(">")
		for k, day in enumerate(days):
			t = self.at(day)
			subj = "%s (%d)" % (subject, k + 1)
			first = self.mid(tag, mine if ana_first else domain)
			if ana_first:
				self.mail("sent", t, me, who, subj, first)
				self.mail("inbox", t + gap * HOUR, who, me, "Re: " + subj, self.mid(tag, domain), irt=first)
			else:
				self.mail("inbox", t, who, me, subj, first)
				self.mail("sent", t + gap * HOUR, me, who, "Re: " + subj, self.mid(tag, mine), irt=first)

	# -- the cases --
	def build(self):
		self.exchange_threads()
		self.job_change()
		self.address_shapes()
		self.role_mailboxes()
		self.no_name()
		self.as_written()
		self.rhythms()
		self.note("list", "a mailing list's own address Ana posts to is the list's, never a person",
			  address="ant@lists.antproject.example")
		self.note("circles", "the work team and the climbing friends stay two communities, "
			  "named apart, with Lena Fischer between them", communities=["work", "climbing"],
			  bridge="lena.fischer@work.example")

	def exchange_threads(self):
		"""Karl Meyer's Exchange server writes no In-Reply-To or References
		and "RE:" subjects; Outlook, his and Ana's at work, adds a
		Thread-Index.  Karl also copies Ana's old address under her own
		name, as his address book has it."""
		karl = fmt_addr("Meyer, Karl", "karl.meyer@northwind.example")
		ms = "Microsoft Outlook 16.0"
		not_awaiting, answers, opens = [], [], []

		def send(folder, day, hour, subj, conv=None, replies=0, cc=None, tag="karl"):
			t = self.at(day, hour)
			frm, to = (ANA_WORK, karl) if folder == "sent" else (karl, ANA_WORK)
			m = self.mid(tag, "work.example" if folder == "sent" else "northwind.example")
			extra = [("X-Mailer", ms)]
			if conv is not None:
				extra.append(("Thread-Index", thread_index(conv, replies)))
			self.mail(folder, t, frm, to, subj, m, cc=cc, extra=extra, tz=-300 if folder == "inbox" else 60)
			return m

		# Karl opens; Ana answers and thanks, all "RE:", one Thread-Index conversation.
		opens.append(send("inbox", 300, 15, "Northwind contract renewal", 1, 0, cc=ANA_OLD))
		not_awaiting.append(send("sent", 299, 9, "RE: Northwind contract renewal", 1, 1))
		answers.append(send("inbox", 298, 16, "RE: Northwind contract renewal", 1, 2, cc=ANA_OLD))
		not_awaiting.append(send("sent", 297, 9, "RE: Northwind contract renewal", 1, 3))
		# Ana opens; Karl answers six weeks later: only the Thread-Index ties his answer to her mail.
		send("sent", 240, 11, "Site visit in the spring", 2, 0)
		answers.append(send("inbox", 198, 17, "RE: Site visit in the spring", 2, 1))
		not_awaiting.append(send("sent", 197, 10, "RE: Site visit in the spring", 2, 2))
		# No Thread-Index at all (Ana wrote from her phone): the subject within 30 days.
		send("sent", 150, 12, "Pricing for Q3")
		answers.append(send("inbox", 146, 15, "RE: Pricing for Q3"))
		not_awaiting.append(send("sent", 145, 9, "RE: Pricing for Q3"))
		# Karl's invoices; Ana's "RE:" thank-you notes carry nothing but the prefix.
		for day, n in ((60, 4471), (21, 4502)):
			opens.append(send("inbox", day, 14, "Invoice %d" % n, 10 + n % 7, 0, cc=ANA_OLD))
			not_awaiting.append(send("sent", day - 1, 9, "RE: Invoice %d" % n))
		self.d.note("relationships", ("Karl Meyer", "karl.meyer@northwind.example"),
			    "an Exchange correspondent: threads by Thread-Index and subject, no In-Reply-To")
		self.note("threads", "Ana's RE: answers to an Exchange correspondent open nothing, his "
			  "RE: answers answer her mail, and his new threads answer nothing",
			  address="karl.meyer@northwind.example", not_awaiting=not_awaiting, answers=answers,
			  opens=opens)
		# Ana forwards work home, to the old address under her own name.
		for day, subj in ((280, "FW: Northwind contract renewal"), (190, "FW: Site visit in the spring"),
				  (35, "Slides for the offsite")):
			self.mail("sent", self.at(day, 18), ANA_WORK, ANA_OLD, subj, self.mid("fw", "work.example"))
		self.note("yours", "others write to Ana's old address as \"Ana Rivera (E-mail)\", and she "
			  "sends herself mail there: probably hers, never a person to nag about",
			  address=OLD_HOST)

	def job_change(self):
		"""Jane Doe, no display name anywhere, moves from one employer to the
		next; Ana follows her to the new address."""
		old, new = "jane.doe@old-employer.example", "jane.doe@new-employer.example"
		self.talk("jdold", old, range(640, 320, -40), subject="Project sync")
		self.talk("jdnew", new, (300, 220, 140, 60, 14), ana_first=False, subject="News")
		for a, why in ((old, "monthly until 11 months ago, then silent: she changed jobs"),
			       (new, "her new address, written to two weeks ago")):
			self.d.note("relationships", (None, a), why)
		self.note("job-change", "one local part on two domains, one silent as the other starts; "
			  "the old address is no lapse to nag about", addresses=[old, new], quiet=old)

	def address_shapes(self):
		"""Colleagues at Harbor Labs, never a display name: three of them
		seen under two addresses each, and two who merely share a surname."""
		dom = "harborlabs.example"
		shapes = (("same-local-part", "ann.lee", "ann_lee", "separators differ"),
			  ("same-local-part", "paul.ortiz", "paul.k.ortiz", "a middle initial"),
			  ("initial-surname", "rmoss", "robert.moss", "initial and surname"))
		for i, (rule, a, b, why) in enumerate(shapes):
			self.talk("hl%da" % i, "%s@%s" % (a, dom), (520 - 20 * i, 470 - 20 * i), subject="Harbor sync")
			self.talk("hl%db" % i, "%s@%s" % (b, dom), (330 - 20 * i, 260 - 20 * i), subject="Harbor sync")
			self.note(rule, "one colleague under two addresses on one domain (%s)" % why,
				  addresses=["%s@%s" % (a, dom), "%s@%s" % (b, dom)])
		self.talk("hltm", "tina.moss@" + dom, (450, 380, 240), subject="Harbor review")
		self.talk("hlko", "kevin.ortiz@" + dom, (430, 350), subject="Harbor review")
		for _, a, b, _ in shapes:
			for x in (a, b):
				self.d.note("relationships", (None, "%s@%s" % (x, dom)), "a Harbor Labs colleague, no display name")
		for x in ("tina.moss", "kevin.ortiz"):
			self.d.note("relationships", (None, "%s@%s" % (x, dom)), "a Harbor Labs colleague, no display name")
		self.note("not-suggested", "two other colleagues who merely share a surname are other people",
			  addresses=["tina.moss@" + dom, "kevin.ortiz@" + dom])

	def role_mailboxes(self):
		"""Ana files expense reports with a system mailbox that never
		answers; a vendor's support desk answers her in person."""
		exp = "expense.reports@work.example"
		for k, day in enumerate((230, 170, 110, 50)):
			self.mail("sent", self.at(day, 17), ANA_WORK, "<%s>" % exp, "Expense report %d" % (k + 1),
				  self.mid("exp", "work.example"))
		self.note("role", "a role mailbox Ana writes to on four days that never answers: "
			  "no relationship, nothing awaited", address=exp, relationship=False)
		self.talk("tk", "support@tentkit.example", (250, 200), name="TentKit Support",
			  subject="Tent pole broken")
		self.d.note("relationships", ("TentKit Support", "support@tentkit.example"),
			    "a role mailbox that answered Ana in person (reply-human)")
		self.note("role", "a support desk that answered Ana's own mail in person is a relationship",
			  address="support@tentkit.example", relationship=True)

	def no_name(self):
		a = "nadia.petrova@steppe.example"
		self.talk("np", a, (420, 330, 260, 190), subject="Translation")
		self.d.note("relationships", (None, a), "writes without a display name; Ana answers")
		self.note("name", "no display name in any header: no name, found by her name's words",
			  address=a, who="nadia petrova")

	def as_written(self):
		"""Bruno writes from a dotted Gmail address; Ana once typed it
		without the dots and in capitals.  One person, shown as he writes it."""
		a = "bruno.keller@gmail.com"
		self.talk("bk", a, (610, 480, 350, 230), name="Bruno Keller", subject="Board games")
		t = self.at(95)
		first = self.mid("bk", "rivera.example")
		self.mail("sent", t, ANA_HOME, "<BrunoKeller@gmail.com>", "Board games night?", first)
		self.mail("inbox", t + 4 * HOUR, fmt_addr("Bruno Keller", a), ANA_HOME, "Re: Board games night?",
			  self.mid("bk", "gmail.com"), irt=first)
		self.d.note("relationships", ("Bruno Keller", a), "a friend on Gmail, both ways")
		self.note("as-written", "one person under both Gmail spellings, shown as he writes it",
			  address=a, also="BrunoKeller@gmail.com")

	def rhythms(self):
		"""Theo hears from Ana every six days for four months; Greta sends
		a birthday greeting once a year and Ana thanks her."""
		theo = "theo@brandt.example"
		self.talk("tb", theo, range(228, 100, -6), name="Theo Brandt", subject="Training plan", gap=2)
		self.d.note("relationships", ("Theo Brandt", theo), "Ana wrote every 6 days until February")
		self.note("rhythm", "Ana wrote every 6 days: the reason says so", address=theo, every_days=6)
		self.note("words", "due, list and show word Theo's rhythm the same", address=theo)
		greta = "greta@holm.example"
		self.talk("gh", greta, (727, 362, 2), ana_first=False, name="Greta Holm",
			  subject="Happy birthday, Ana!")
		self.d.note("relationships", ("Greta Holm", greta), "yearly: a birthday greeting, answered")
		self.note("rhythm", "a greeting once a year is a yearly rhythm, no friend's quarter",
			  address=greta, every_days=365)

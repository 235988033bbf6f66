// str methods: behaviour compared with CPython 3.11, expression by expression.
//
// Each line is `expression<TAB>expected`; the expected column was produced by evaluating the
// same expression with python3.

import Testing
@testable import AsoRuntime

@Test func strMethodsMatchCPython() {
    let h = MethodsHarness()
    let bad = h.mismatches(table)
    #expect(bad.isEmpty, "\(bad.joined(separator: "\n"))")
}

private let table = #"""
'  a  b \t c\n'.split()	['a', 'b', 'c']
'a,b,,c'.split(',')	['a', 'b', '', 'c']
'a,b,,c'.split(',', 1)	['a', 'b,,c']
'a b c'.rsplit(None, 1)	['a b', 'c']
'a,b,c'.rsplit(',', 1)	['a,b', 'c']
'  x  '.rsplit()	['x']
''.split()	[]
''.split(',')	['']
'héllo wörld'.split('ö')	['héllo w', 'rld']
'-'.join(['a', 'b', 'c'])	'a-b-c'
'-'.join(['a', 1])	TypeError: sequence item 1: expected str instance, int found
'  hi  '.strip()	'hi'
'xxhixx'.strip('x')	'hi'
'  hi  '.lstrip()	'hi  '
'  hi  '.rstrip()	'  hi'
'Hello'.upper()	'HELLO'
'Straße'.upper()	'STRASSE'
'HeLLo'.lower()	'hello'
'aaaa'.replace('a', 'b', 2)	'bbaa'
'abc'.replace('', '-')	'-a-b-c-'
'hello'.startswith('he')	True
'hello'.startswith(('x', 'h'))	True
'hello'.endswith('lo', 0, 4)	False
'héllo'.find('l')	2
'héllo'.rfind('l')	3
'hello'.index('z')	ValueError: substring not found
'hello'.rindex('l')	3
'hello'.count('l')	2
'abc'.count('')	4
'abc'.find('', 5)	-1
'12'.isdigit()	True
'½'.isnumeric()	True
'½'.isdigit()	False
'abc'.isalpha()	True
'ab1'.isalnum()	True
' \t'.isspace()	True
'ABC'.isupper()	True
'abc1'.islower()	True
'42'.zfill(5)	'00042'
'-42'.zfill(6)	'-00042'
'ab'.center(7, '*')	'***ab**'
'abc'.center(6)	' abc  '
'ab'.ljust(5, '.')	'ab...'
'ab'.rjust(5)	'   ab'
'a\nb\r\nc'.splitlines()	['a', 'b', 'c']
'a\nb\r\nc\n'.splitlines(True)	['a\n', 'b\r\n', 'c\n']
'é'.encode()	b'\xc3\xa9'
'hello world foo'.title()	'Hello World Foo'
"they're bill's".title()	"They'Re Bill'S"
'hELLO'.capitalize()	'Hello'
'HeLLo'.swapcase()	'hEllO'
'a=b=c'.partition('=')	('a', '=', 'b=c')
'a=b=c'.rpartition('=')	('a=b', '=', 'c')
'abc'.partition('x')	('abc', '', '')
'Straße'.casefold()	'strasse'
'a\tbc\td'.expandtabs(4)	'a   bc  d'
'prefix_x'.removeprefix('prefix_')	'x'
'x.py'.removesuffix('.py')	'x'
'{} {}'.format(1, 'a')	'1 a'
'{0}{1}{0}'.format('a', 'b')	'aba'
'{name}!'.format(name='Bob')	'Bob!'
'{0[1]}'.format([5, 6])	'6'
'{x[k]}'.format(x={'k': 3})	'3'
'{{literal}}'.format()	'{literal}'
'{!r}'.format('q')	"'q'"
'{0!s}'.format(1.5)	'1.5'
'{:>5}'.format('ab')	'   ab'
'{:.2f}'.format(3.14159)	'3.14'
'{:{}}'.format('x', 3)	'x  '
'{}'.format()	IndexError: Replacement index 0 out of range for positional args tuple
'{0}{}'.format(1, 2)	ValueError: cannot switch from manual field specification to automatic field numbering
'{a}'.format()	KeyError: 'a'
'}'.format()	ValueError: Single '}' encountered in format string
'{'.format()	ValueError: Single '{' encountered in format string
'x'.upper(1)	TypeError: str.upper() takes no arguments (1 given)
'a'.split(1)	TypeError: must be str or None, not int
'a'.split(' ', sep=' ')	TypeError: argument for split() given by name ('sep') and position (1)
'a'.find()	TypeError: find() takes at least 1 argument (0 given)
'a'.replace('a')	TypeError: replace expected at least 2 arguments, got 1
'a'.strip(1)	TypeError: strip arg must be None or str
'a'.startswith(1)	TypeError: startswith first arg must be str or a tuple of str, not int
'a'.center(3, 'ab')	TypeError: The fill character must be exactly one character long
'a'.center('x')	TypeError: 'str' object cannot be interpreted as an integer
'a'.zfill()	TypeError: str.zfill() takes exactly one argument (0 given)
'a'.partition('')	ValueError: empty separator
'a'.encode('latin-9')	LookupError: unknown encoding: latin-9
'é'.encode('ascii')	UnicodeEncodeError: 'ascii' codec can't encode character '\xe9' in position 0: ordinal not in range(128)
'a'.ljust(2, 1)	TypeError: The fill character must be a unicode character, not int
'a'.removeprefix(1)	TypeError: removeprefix() argument must be str, not int
'a'.upper(x=1)	TypeError: str.upper() takes no keyword arguments
'a'.split(x=1)	TypeError: 'x' is an invalid keyword argument for split()
'ab'.index('b', -1)	1
'hello'.find('l', -2)	3
'x'.join([])	''
'ab'.join('xyz')	'xabyabz'
'a b'.split(maxsplit=0)	['a b']
' a b '.split(None, 1)	['a', 'b ']
' a b '.rsplit(None, 1)	[' a', 'b']
'aXbXc'.split('X', -1)	['a', 'b', 'c']
'x'.ljust(10**12)	MemoryError
"""#

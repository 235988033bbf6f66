// list, dict, set, bytes and number methods: behaviour compared with CPython 3.11, expression by expression.
//
// Each line is `expression<TAB>expected`; the expected column was produced by evaluating the
// same expression with python3.

import Testing
@testable import AsoRuntime

@Test func collectionMethodsMatchCPython() {
    let h = MethodsHarness()
    let bad = h.mismatches(table)
    #expect(bad.isEmpty, "\(bad.joined(separator: "\n"))")
}

private let table = #"""
[1, 2].append()	TypeError: list.append() takes exactly one argument (0 given)
[1, 2].append(1, 2)	TypeError: list.append() takes exactly one argument (2 given)
[1, 2].append(x=1)	TypeError: list.append() takes no keyword arguments
[3, 1, 2].pop()	2
[3, 1, 2].pop(0)	3
[].pop()	IndexError: pop from empty list
[1].pop(5)	IndexError: pop index out of range
[1].pop(1, 2)	TypeError: pop expected at most 1 argument, got 2
[1].pop('a')	TypeError: 'str' object cannot be interpreted as an integer
[1].pop(10**30)	OverflowError: Python int too large to convert to C ssize_t
[1, 2].insert(1)	TypeError: insert expected 2 arguments, got 1
[1, 2].index(2)	1
[1, 2].index(5)	ValueError: 5 is not in list
[1, 2, 1].index(1, 1)	2
[1, 2].index(1, 'a')	TypeError: slice indices must be integers or have an __index__ method
['a'].index('b')	ValueError: 'b' is not in list
[1, 2, 1].count(1)	2
[].remove(3)	ValueError: list.remove(x): x not in list
[].sort(1)	TypeError: sort() takes no positional arguments
[].sort(key=1, x=2)	TypeError: 'x' is an invalid keyword argument for sort()
[3, 1, 2].copy()	[3, 1, 2]
[1].clear()	None
[1].reverse(1)	TypeError: list.reverse() takes no arguments (1 given)
[1].extend(1)	TypeError: 'int' object is not iterable
[1].insert('a', 1)	TypeError: 'str' object cannot be interpreted as an integer
list.append(1, 2)	TypeError: descriptor 'append' for 'list' objects doesn't apply to a 'int' object
{'a': 1}.get('a')	1
{'a': 1}.get('b', 0)	0
{}.get()	TypeError: get expected at least 1 argument, got 0
{}.get(1, 2, 3)	TypeError: get expected at most 2 arguments, got 3
{}.get([])	TypeError: unhashable type: 'list'
{'a': 1, 'b': 2}.keys()	dict_keys(['a', 'b'])
{'a': 1, 'b': 2}.values()	dict_values([1, 2])
{'a': 1, 'b': 2}.items()	dict_items([('a', 1), ('b', 2)])
{'a': 1}.pop('a')	1
{}.pop(1)	KeyError: 1
{}.pop(1, 2)	2
{}.pop([])	KeyError: []
{}.popitem()	KeyError: 'popitem(): dictionary is empty'
{'a': 1, 'b': 2}.popitem()	('b', 2)
{}.setdefault(1)	None
{'k': 5}.setdefault('k', 9)	5
{}.update(1)	TypeError: 'int' object is not iterable
{}.update([1])	TypeError: cannot convert dictionary update sequence element #0 to a sequence
{}.update([(1, 2, 3)])	ValueError: dictionary update sequence element #0 has length 3; 2 is required
{}.update(1, 2)	TypeError: update expected at most 1 argument, got 2
{'a': 1}.copy()	{'a': 1}
{}.copy(1)	TypeError: dict.copy() takes no arguments (1 given)
{}.keys(1)	TypeError: dict.keys() takes no arguments (1 given)
dict.fromkeys('ab')	{'a': None, 'b': None}
dict.fromkeys([1, 2], 0)	{1: 0, 2: 0}
{1: 2}.fromkeys([3])	{3: None}
dict.fromkeys()	TypeError: fromkeys expected at least 1 argument, got 0
dict.fromkeys([1], 2, 3)	TypeError: fromkeys expected at most 2 arguments, got 3
dict.get()	TypeError: unbound method dict.get() needs an argument
{1, 2}.union([3], (4,))	{1, 2, 3, 4}
{1, 2}.intersection([2], [2, 3])	{2}
{1, 2, 3}.difference([1], [2])	{3}
{1, 2}.symmetric_difference([2, 3])	{1, 3}
{1}.symmetric_difference([1], [2])	TypeError: set.symmetric_difference() takes exactly one argument (2 given)
{1, 2}.issubset([1, 2, 3])	True
{1, 2}.issuperset([1])	True
{1}.isdisjoint([2])	True
{1}.issuperset(1)	TypeError: 'int' object is not iterable
set().pop()	KeyError: 'pop from an empty set'
set().remove(1)	KeyError: 1
set().add()	TypeError: set.add() takes exactly one argument (0 given)
set().add([])	TypeError: unhashable type: 'list'
set().union(1)	TypeError: 'int' object is not iterable
frozenset([1]).union([2])	frozenset({1, 2})
frozenset([1]).copy()	frozenset({1})
frozenset().add	AttributeError: 'frozenset' object has no attribute 'add'
set.add(frozenset(), 1)	TypeError: descriptor 'add' for 'set' objects doesn't apply to a 'frozenset' object
{1}.copy()	{1}
{1, 2}.difference()	{1, 2}
set.union()	TypeError: unbound method set.union() needs an argument
b'\xff'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte
b'a\xe9b'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 1: invalid continuation byte
b'\xe9'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 0: unexpected end of data
b'\xe2\x82'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data
b'\xe2\x82a'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte
b'\xed\xa0\x80'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte
b'\xf0\x90\x80x'.decode()	UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte
b'a\xffb\xe2\x82'.decode('utf-8', 'replace')	'a�b�'
b'a\xffb'.decode('utf-8', 'ignore')	'ab'
b'\xff'.decode('ascii')	UnicodeDecodeError: 'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128)
b'\xff'.decode('latin-1')	'ÿ'
b'caf\xc3\xa9'.decode()	'café'
b'ab'.hex()	'6162'
b'ab'.hex(':')	'61:62'
b'a b  c'.split()	[b'a', b'b', b'c']
b'a,b'.split(b',')	[b'a', b'b']
b','.join([b'a', b'b'])	b'a,b'
b','.join(['a'])	TypeError: sequence item 0: expected a bytes-like object, str found
b' a '.strip()	b'a'
b'aB'.upper()	b'AB'
b'aB'.lower()	b'ab'
b'abc'.find(b'c')	2
b'abc'.find(99)	2
b'x'.find('x')	TypeError: argument should be integer or bytes-like object, not 'str'
b'abcb'.count(b'b')	2
b'abc'.startswith(b'a')	True
b'abc'.startswith('a')	TypeError: startswith first arg must be bytes or a tuple of bytes, not str
b'abc'.replace(b'b', b'x')	b'axc'
bytes.fromhex('41 42')	b'AB'
(1).bit_length()	1
(-255).bit_length()	8
(10**30).bit_length()	100
(1).bit_length(1)	TypeError: int.bit_length() takes no arguments (1 given)
(7).bit_count()	3
(5).conjugate()	5
(2.5).conjugate()	2.5
(3.0).is_integer()	True
(3.5).is_integer()	False
(1.5).is_integer(1)	TypeError: float.is_integer() takes no arguments (1 given)
(1.5).hex()	'0x1.8000000000000p+0'
(0.1).hex()	'0x1.999999999999ap-4'
(-0.0).hex()	'-0x0.0p+0'
(5e-324).hex()	'0x0.0000000000001p-1022'
(1.5).as_integer_ratio()	(3, 2)
(0.1).as_integer_ratio()	(3602879701896397, 36028797018963968)
(6).as_integer_ratio()	(6, 1)
(1024).to_bytes(2, 'big')	b'\x04\x00'
(5).to_bytes()	b'\x05'
(-1).to_bytes(2, 'little', signed=True)	b'\xff\xff'
(300).to_bytes(1, 'big')	OverflowError: int too big to convert
(-1).to_bytes(1, 'big')	OverflowError: can't convert negative int to unsigned
int.from_bytes(b'\x01\x00', 'big')	256
int.from_bytes(b'\xff\xff', 'little', signed=True)	-1
ValueError('x').with_traceback(None)	ValueError('x')
"""#

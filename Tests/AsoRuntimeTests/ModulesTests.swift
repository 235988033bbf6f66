// math, json, sys, os and time: behaviour compared with CPython 3.11, expression by expression.
//
// Each line is `expression<TAB>expected`; the expected column was produced by evaluating the
// same expression with python3.

import Testing
@testable import AsoRuntime

@Test func modulesMatchCPython() {
    let h = MethodsHarness()
    let bad = h.mismatches(table)
    #expect(bad.isEmpty, "\(bad.joined(separator: "\n"))")
}

private let table = #"""
math.sqrt(16)	4.0
math.sqrt(-1)	ValueError: math domain error
math.sqrt('a')	TypeError: must be real number, not str
math.sqrt()	TypeError: math.sqrt() takes exactly one argument (0 given)
math.sqrt(1, 2)	TypeError: math.sqrt() takes exactly one argument (2 given)
math.sqrt(10**400)	OverflowError: int too large to convert to float
math.floor(1e300)	1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160
math.floor(math.inf)	OverflowError: cannot convert float infinity to integer
math.floor(math.nan)	ValueError: cannot convert float NaN to integer
math.floor(-2.5)	-3
math.floor(True)	1
math.floor(10**30)	1000000000000000000000000000000
math.ceil(-0.5)	0
math.ceil(2)	2
math.trunc(-2.5)	-2
math.trunc('x')	TypeError: type str doesn't define __trunc__ method
math.log(0)	ValueError: math domain error
math.log(-1)	ValueError: math domain error
math.log(10**400)	921.0340371976182
math.log(8, 2)	3.0
math.log(1, 1)	ZeroDivisionError: float division by zero
math.log('x')	TypeError: must be real number, not str
math.log2(10**400)	1328.771237954945
math.log10(1000)	3.0
math.exp(1)	2.718281828459045
math.exp(1000)	OverflowError: math range error
math.exp(-1000)	0.0
math.factorial(-1)	ValueError: factorial() not defined for negative values
math.factorial(2.0)	TypeError: 'float' object cannot be interpreted as an integer
math.factorial(20)	2432902008176640000
math.factorial(30)	265252859812191058636308480000000
math.isqrt(-1)	ValueError: isqrt() argument must be nonnegative
math.isqrt(10**20)	10000000000
math.gcd()	0
math.gcd(12, 18, 8)	2
math.gcd(1.5)	TypeError: 'float' object cannot be interpreted as an integer
math.lcm(4, 6)	12
math.lcm(4, 6, 0)	0
math.isclose(1, 1.0000000001)	True
math.isclose(1, 2, rel_tol=-1)	ValueError: tolerances must be non-negative
math.isclose(1, 1.1, abs_tol=0.2)	True
math.isclose(1)	TypeError: isclose() missing required argument 'b' (pos 2)
math.comb(5, 2)	10
math.comb(50, 25)	126410606437752
math.perm(5)	120
math.perm(5, 2)	20
math.comb(5, -1)	ValueError: k must be a non-negative integer
math.prod([1, 2, 3])	6
math.prod([])	1
math.fsum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])	1.0
math.fsum([1e100, 1.0, -1e100])	1.0
math.hypot(3, 4)	5.0
math.hypot(1, 2, 2)	3.0
math.pow(2, 0.5)	1.4142135623730951
math.pow(0, -1)	ValueError: math domain error
math.pow(10, 400)	OverflowError: math range error
math.copysign(1, -0.0)	-1.0
math.atan2(1, 1)	0.7853981633974483
math.asin(2)	ValueError: math domain error
math.sin(math.inf)	ValueError: math domain error
math.cos(0)	1.0
math.tan(0.5)	0.5463024898437905
math.atan(1)	0.7853981633974483
math.acos(0.5)	1.0471975511965979
math.degrees(math.pi)	180.0
math.radians(180)	3.141592653589793
math.fabs(-3)	3.0
math.isnan(math.nan)	True
math.isinf(-math.inf)	True
math.isfinite(1e308)	True
math.ldexp(1, 3)	8.0
math.frexp(8)	(0.5, 4)
math.modf(2.5)	(0.5, 2.0)
math.fmod(5, 3)	2.0
math.dist([0, 0], [3, 4])	5.0
math.pi	3.141592653589793
math.e	2.718281828459045
math.tau	6.283185307179586
math.inf	inf
math.nan	nan
json.dumps({'a': [1, 2.5, None, True]})	'{"a": [1, 2.5, null, true]}'
json.dumps('é\U0001F600')	'"\\u00e9\\ud83d\\ude00"'
json.dumps('é', ensure_ascii=False)	'"é"'
json.dumps({1: 2, 2.5: 3, None: 0})	'{"1": 2, "2.5": 3, "null": 0}'
json.dumps({True: 1, False: 2, 1.5: 3, math.inf: 4})	'{"true": 1, "false": 2, "1.5": 3, "Infinity": 4}'
json.dumps({(1,): 2})	TypeError: keys must be str, int, float, bool or None, not tuple
json.dumps({(1,): 1, 'b': 2}, skipkeys=True)	'{"b": 2}'
json.dumps(set())	TypeError: Object of type set is not JSON serializable
json.dumps(math.nan)	'NaN'
json.dumps(math.inf, allow_nan=False)	ValueError: Out of range float values are not JSON compliant
json.dumps([1, [2, {}], []], indent=2)	'[\n  1,\n  [\n    2,\n    {}\n  ],\n  []\n]'
json.dumps({'b': 1, 'a': 2}, sort_keys=True, indent='\t')	'{\n\t"a": 2,\n\t"b": 1\n}'
json.dumps([1, 2], separators=(',', ':'))	'[1,2]'
json.dumps({'a': 1}, indent=0)	'{\n"a": 1\n}'
json.dumps({'a': [1, {'b': 2}]}, indent=4)	'{\n    "a": [\n        1,\n        {\n            "b": 2\n        }\n    ]\n}'
json.dumps([1, [2]], indent='')	'[\n1,\n[\n2\n]\n]'
json.dumps(1e100)	'1e+100'
json.dumps(10**30)	'1000000000000000000000000000000'
json.dumps((1, 2))	'[1, 2]'
json.dumps('\x00\x1f"\\\n\t\x7f')	'"\\u0000\\u001f\\"\\\\\\n\\t\\u007f"'
json.dumps('\x7f', ensure_ascii=False)	'"\x7f"'
json.dumps({1: 1, 'a': 2}, sort_keys=True)	TypeError: '<' not supported between instances of 'str' and 'int'
json.dumps({}, indent=2)	'{}'
json.dumps(-0.0)	'-0.0'
json.dumps(1.0)	'1.0'
json.dumps([math.inf, -math.inf])	'[Infinity, -Infinity]'
json.dumps('\u2028')	'"\\u2028"'
json.dumps(object)	TypeError: Object of type type is not JSON serializable
json.dumps(object, default=repr)	'"<class \'object\'>"'
json.dumps(1, 2)	TypeError: dumps() takes 1 positional argument but 2 were given
json.loads('')	json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
json.loads('[1,]')	json.decoder.JSONDecodeError: Expecting value: line 1 column 4 (char 3)
json.loads('[1 2]')	json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 4 (char 3)
json.loads('{"a" 1}')	json.decoder.JSONDecodeError: Expecting ':' delimiter: line 1 column 6 (char 5)
json.loads('{a:1}')	json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
json.loads('{"a":1,}')	json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 8 (char 7)
json.loads('1 2')	json.decoder.JSONDecodeError: Extra data: line 1 column 3 (char 2)
json.loads('"abc')	json.decoder.JSONDecodeError: Unterminated string starting at: line 1 column 1 (char 0)
json.loads('"a\x01"')	json.decoder.JSONDecodeError: Invalid control character at: line 1 column 3 (char 2)
json.loads('"\\x"')	json.decoder.JSONDecodeError: Invalid \escape: line 1 column 2 (char 1)
json.loads('"ab\\q"')	json.decoder.JSONDecodeError: Invalid \escape: line 1 column 4 (char 3)
json.loads('"\\u12"')	json.decoder.JSONDecodeError: Invalid \uXXXX escape: line 1 column 3 (char 2)
json.loads('"\\uZZZZ"')	json.decoder.JSONDecodeError: Invalid \uXXXX escape: line 1 column 3 (char 2)
json.loads('"ab\\')	json.decoder.JSONDecodeError: Unterminated string starting at: line 1 column 1 (char 0)
json.loads('[1, 2.5e3, -0, 1E400, 123456789012345678901234567890]')	[1, 2500.0, 0, inf, 123456789012345678901234567890]
json.loads('{"a": {"b": [true, false, null]}}')	{'a': {'b': [True, False, None]}}
json.loads('NaN')	nan
json.loads('-Infinity')	-inf
json.loads('"\\ud83d\\ude00"')	'😀'
json.loads('"\\u00e9"')	'é'
json.loads('\n\n  [1,\n  x]')	json.decoder.JSONDecodeError: Expecting value: line 4 column 3 (char 10)
json.loads(' 1 ')	1
json.loads('[')	json.decoder.JSONDecodeError: Expecting value: line 1 column 2 (char 1)
json.loads('{')	json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
json.loads('{"a"')	json.decoder.JSONDecodeError: Expecting ':' delimiter: line 1 column 5 (char 4)
json.loads('{"a":')	json.decoder.JSONDecodeError: Expecting value: line 1 column 6 (char 5)
json.loads('01')	json.decoder.JSONDecodeError: Extra data: line 1 column 2 (char 1)
json.loads('-')	json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
json.loads('1.')	json.decoder.JSONDecodeError: Extra data: line 1 column 2 (char 1)
json.loads('[1,,2]')	json.decoder.JSONDecodeError: Expecting value: line 1 column 4 (char 3)
json.loads('tru')	json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
json.loads(b'[1]')	[1]
json.loads(1)	TypeError: the JSON object must be str, bytes or bytearray, not int
json.loads('{"a":1 "b":2}')	json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 8 (char 7)
json.loads('["a\\"]')	json.decoder.JSONDecodeError: Unterminated string starting at: line 1 column 2 (char 1)
json.loads('[1e5, -1.5e-3, 1.5E+2]')	[100000.0, -0.0015, 150.0]
json.loads('{"a":1,"a":2}')	{'a': 2}
json.loads('"\t"')	json.decoder.JSONDecodeError: Invalid control character at: line 1 column 2 (char 1)
json.loads('["\\/"]')	['/']
json.loads('[01]')	json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 3 (char 2)
json.loads('infinity')	json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
json.loads('[1.0e]')	json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 5 (char 4)
json.JSONDecodeError	<class 'json.decoder.JSONDecodeError'>
json.JSONDecodeError('m', 'ab\ncd', 4)	JSONDecodeError('m: line 2 column 2 (char 4)')
json.JSONDecodeError('m', 'ab\ncd', 4).colno	2
sys.maxsize	9223372036854775807
sys.getrecursionlimit()	1000
sys.exit(3)	SystemExit: 3
sys.exit()	SystemExit
sys.exit('bye')	SystemExit: bye
os.sep	'/'
os.name	'posix'
os.linesep	'\n'
os.getenv(1)	TypeError: str expected, not int
os.getenv('ASO_SURELY_NOT_SET_X')	None
os.getenv('ASO_SURELY_NOT_SET_X', 'd')	'd'
os.path.join('a', '/b', 'c')	'/b/c'
os.path.join('a', '')	'a/'
os.path.splitext('a/b.tar.gz')	('a/b.tar', '.gz')
os.path.splitext('.bashrc')	('.bashrc', '')
os.path.split('/a/b')	('/a', 'b')
os.path.basename('a/b/')	''
os.path.dirname('/a')	'/'
os.path.normpath('a//b/../c/.')	'a/c'
os.path.normpath('/../x')	'/x'
os.path.isabs('/x')	True
time.sleep(-1)	ValueError: sleep length must be non-negative
time.sleep('a')	TypeError: 'str' object cannot be interpreted as an integer
time.time(1)	TypeError: time.time() takes no arguments (1 given)
"""#

// Tracebacks underline the failing expression of each frame as CPython 3.11 does (PEP 657).
// Every expected text is CPython 3.11's stderr for the same program run as `test.aso`.

import Testing

@Test(arguments: [
    ("def f(n):\n    return n / 0\n\nx = f(1) + 2\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 4, in <module>\n    x = f(1) + 2\n        ^^^^\n  File \"test.aso\", line 2, in f\n    return n / 0\n           ~~^~~\nZeroDivisionError: division by zero\n"),
    ("d = {'a': [1]}\nprint(d['a'][1])\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 2, in <module>\n    print(d['a'][1])\n          ~~~~~~^^^\nIndexError: list index out of range\n"),
    ("def main():\n    raise ValueError('x')\n\nmain()\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 4, in <module>\n    main()\n  File \"test.aso\", line 2, in main\n    raise ValueError('x')\nValueError: x\n"),
    ("s = 'é'; t = s + 1\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 1, in <module>\n    s = 'é'; t = s + 1\n                 ~~^~~\nTypeError: can only concatenate str (not \"int\") to str\n"),
    // A span over two lines is underlined to the end of its first line, found as CPython 3.11 finds
    // it: by scanning the UTF-8 bytes back from the length in characters, which stops short here.
    ("s = 'éé'; y = (s +\n    1)\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 1, in <module>\n    s = 'éé'; y = (s +\n                   ^^^\nTypeError: can only concatenate str (not \"int\") to str\n"),
    // The operator search passes over a `)` closing the left operand, and takes two characters
    // when the next one is not blank.
    ("a = 1\nb = (a)+(a)+('s')\n",
     "Traceback (most recent call last):\n  File \"test.aso\", line 2, in <module>\n    b = (a)+(a)+('s')\n        ~~~~~~~^^~~~~\nTypeError: unsupported operand type(s) for +: 'int' and 'str'\n"),
])
func tracebackMarkersMatchCPython(_ source: String, _ expected: String) {
    let result = runProgram(source)
    #expect(result.status == 1)
    #expect(result.stderr == expected)
}

# deltablue: a one-way constraint solver in the style of DeltaBlue: variables, constraints of
# several strengths (stay, edit, equality, scale), a planner that picks which constraints are
# satisfied and in which direction, and plans executed over chains and projections.
import sys

REQUIRED, STRONG, MEDIUM, WEAK, WEAKEST = 0, 1, 2, 3, 4


def stronger(a, b):
    return a < b


class Variable:
    def __init__(self, name, value=0):
        self.name = name
        self.value = value
        self.constraints = []
        self.determined_by = None
        self.walk_strength = WEAKEST
        self.stay = True
        self.mark = 0

    def add(self, c):
        self.constraints.append(c)


class Constraint:
    def __init__(self, strength):
        self.strength = strength

    def is_input(self):
        return False


class UnaryConstraint(Constraint):
    def __init__(self, var, strength):
        super().__init__(strength)
        self.output = var
        self.satisfied = False
        var.add(self)

    def variables(self):
        return (self.output,)

    def choose(self, mark):
        self.satisfied = self.output.mark != mark and stronger(self.strength, self.output.walk_strength)
        return self.satisfied

    def outputs(self):
        return self.output

    def inputs_known(self, mark):
        return True

    def recalc(self):
        self.output.walk_strength = self.strength
        self.output.stay = not self.is_input()

    def execute(self):
        pass


class StayConstraint(UnaryConstraint):
    pass


class EditConstraint(UnaryConstraint):
    def is_input(self):
        return True


class BinaryConstraint(Constraint):
    def __init__(self, v1, v2, strength):
        super().__init__(strength)
        self.v1 = v1
        self.v2 = v2
        self.direction = None
        v1.add(self)
        v2.add(self)

    def variables(self):
        return (self.v1, self.v2)

    def choose(self, mark):
        if self.v1.mark == mark:
            self.direction = 1 if self.v2.mark != mark and stronger(self.strength, self.v2.walk_strength) else None
        elif self.v2.mark == mark:
            self.direction = -1 if stronger(self.strength, self.v1.walk_strength) else None
        elif self.v1.walk_strength > self.v2.walk_strength:
            self.direction = -1 if stronger(self.strength, self.v1.walk_strength) else None
        else:
            self.direction = 1 if stronger(self.strength, self.v2.walk_strength) else None
        self.satisfied = self.direction is not None
        return self.satisfied

    def outputs(self):
        return self.v2 if self.direction == 1 else self.v1

    def input(self):
        return self.v1 if self.direction == 1 else self.v2

    def inputs_known(self, mark):
        i = self.input()
        return i.mark == mark or i.stay or i.determined_by is None

    def recalc(self):
        i, o = self.input(), self.outputs()
        o.walk_strength = max(self.strength, i.walk_strength)
        o.stay = i.stay
        if o.stay:
            self.execute()


class EqualityConstraint(BinaryConstraint):
    def execute(self):
        self.outputs().value = self.input().value


class ScaleConstraint(BinaryConstraint):
    def __init__(self, src, scale, offset, dst, strength):
        self.scale = scale
        self.offset = offset
        super().__init__(src, dst, strength)

    def execute(self):
        if self.direction == 1:
            self.v2.value = self.v1.value * self.scale.value + self.offset.value
        else:
            self.v1.value = (self.v2.value - self.offset.value) // self.scale.value


class Planner:
    def __init__(self):
        self.mark = 0
        self.constraints = []

    def add(self, c):
        self.constraints.append(c)

    def plan(self):
        self.mark += 1
        mark = self.mark
        for v in {id(v): v for c in self.constraints for v in c.variables()}.values():
            v.determined_by = None
            v.walk_strength = WEAKEST
            v.stay = True
            v.mark = 0
        order = sorted(self.constraints, key=lambda c: c.strength)
        plan = []
        pending = list(order)
        while pending:
            progress = False
            rest = []
            for c in pending:
                if c.choose(mark):
                    out = c.outputs()
                    out.mark = mark
                    out.determined_by = c
                    c.recalc()
                    plan.append(c)
                    progress = True
                else:
                    rest.append(c)
            if not progress:
                break
            pending = [c for c in rest if c.strength != WEAKEST]
            if len(pending) == len(rest):
                pending = []
        return plan

    def run(self, plan):
        for c in plan:
            if c.inputs_known(self.mark) or True:
                c.execute()


def chain_test(n):
    planner = Planner()
    vars_ = [Variable(f"v{i}") for i in range(n + 1)]
    for a, b in zip(vars_, vars_[1:]):
        planner.add(EqualityConstraint(a, b, REQUIRED))
    planner.add(StayConstraint(vars_[-1], STRONG))
    edit = EditConstraint(vars_[0], REQUIRED - 0)
    planner.add(edit)
    plan = planner.plan()
    total = 0
    for i in range(60):
        vars_[0].value = i
        planner.run(plan)
        total += vars_[-1].value
    return total, len(plan)


def projection_test(n):
    planner = Planner()
    scale = Variable("scale", 10)
    offset = Variable("offset", 1000)
    planner.add(StayConstraint(scale, REQUIRED))
    planner.add(StayConstraint(offset, REQUIRED))
    dests = []
    src = None
    for i in range(n):
        src = Variable(f"src{i}", i)
        dst = Variable(f"dst{i}", i)
        dests.append(dst)
        planner.add(StayConstraint(src, WEAK))
        planner.add(ScaleConstraint(src, scale, offset, dst, REQUIRED))
    plan = planner.plan()
    total = 0
    for k in range(20):
        scale.value = 5 + k
        planner.run(plan)
        total += sum(d.value for d in dests)
    return total, len(plan)


n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
results = []
for i in range(n):
    results.append(chain_test(400 + i * 10))
    results.append(projection_test(400 + i * 10))
print(results[:4])
print(sum(r[0] for r in results), sum(r[1] for r in results))

// The compiler: scopes and AST -> code objects.

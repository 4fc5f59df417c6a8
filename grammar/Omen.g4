// The Omen rule language. See docs/language.md for the semantics.
// Newlines are not significant: every clause starts with a keyword.
grammar Omen;

file        : item* EOF ;
exprOnly    : expr EOF ;          // message placeholders and the REPL

item
    : importDecl
    | constDecl
    | fnDecl
    | seriesDecl
    | ruleDecl
    | testDecl
    | graphDecl
    | intentDecl
    ;

importDecl  : 'import' qname ;
constDecl   : 'const' name (':' typeName)? '=' expr ;
fnDecl      : 'fn' name '(' (param (',' param)*)? ')' ('->' typeName)? '=' expr ;
param       : name ':' typeName ;
typeName    : name ;
// `by (...)` groups an aggregation: series ok = counter_sum(requests{code!~"5.."}) by (job)
seriesDecl  : 'series' name '=' expr byList? ;
byList      : 'by' '(' (name (',' name)*)? ')' ;

ruleDecl    : 'rule' name '{' ruleClause* '}' ;
ruleClause
    : 'on' name ('by' '(' (name (',' name)*)? ')')?              # OnClause
    | 'when' expr                                                # WhenClause
    | 'for' expr                                                 # ForClause
    | 'keep' expr                                                # KeepClause
    | 'severity' name                                            # SeverityClause
    | 'labels' '{' (labelPair (',' labelPair)* ','?)? '}'        # LabelsClause
    | 'message' STRING                                           # MessageClause
    | 'value' expr                                               # ValueClause
    ;
labelPair   : name '=' STRING ;

testDecl    : 'test' name '{' testClause* '}' ;
testClause
    : 'interval' expr                                            # IntervalClause
    | 'start' STRING                                             # StartClause
    | 'input' name selector? '=' STRING                          # InputClause
    | 'expect' 'no' name selector? 'at' expr                     # ExpectNoClause
    | 'expect' name selector? alertState 'at' expr ('message' STRING)?   # ExpectClause
    ;
alertState  : 'firing' | 'pending' | 'inactive' | 'resolved' ;

graphDecl   : 'graph' name '{' graphStmt* '}' ;
graphStmt
    : 'node' name ('{' (binding (',' binding)* ','?)? '}')?      # NodeStmt
    | name ('->' name)+ edgeAttrs?                               # EdgeStmt
    | 'forbid' name '->' name                                    # ForbidStmt
    | 'require' name '->' name                                   # RequireStmt
    | 'root' name (',' name)*                                    # RootStmt
    | 'leaf' name (',' name)*                                    # LeafStmt
    ;
binding     : name '=' expr ;
edgeAttrs   : '[' edgeAttr (',' edgeAttr)* ']' ;
edgeAttr    : name '=' (STRING | NUMBER | name) ;

// Intents (docs/intents.md): a service-level objective compiled to burn-rate rules.
intentDecl  : 'intent' name '{' intentClause* '}' ;
intentClause
    : 'service' STRING                                           # ServiceClause
    | 'objective' expr                                           # ObjectiveClause
    | 'target' (PERCENT | NUMBER) 'over' addExpr                 # TargetClause
    | 'alert' name 'burn' addExpr 'over' addExpr ('and' addExpr)? ('for' addExpr)?  # AlertClause
    | 'labels' '{' (labelPair (',' labelPair)* ','?)? '}'        # IntentLabelsClause
    | byList                                                     # IntentByClause
    ;

// ---- expressions, lowest precedence first ----
expr
    : 'if' expr 'then' expr 'else' expr                          # IfExpr
    | orExpr                                                     # PlainExpr
    ;
orExpr      : andExpr ('or' andExpr)* ;
andExpr     : notExpr ('and' notExpr)* ;
notExpr     : 'not' notExpr | cmpExpr ;
cmpExpr     : addExpr (cmpOp addExpr)? ;
cmpOp       : '<' | '<=' | '>' | '>=' | '==' | '!=' ;
addExpr     : mulExpr (addOp mulExpr)* ;
addOp       : '+' | '-' ;
mulExpr     : unaryExpr (mulOp unaryExpr)* ;
mulOp       : '*' | '/' | '%' ;
unaryExpr   : '-' unaryExpr | powExpr ;
powExpr     : primary ('^' unaryExpr)? ;
primary
    : NUMBER                                                     # NumberLit
    | DURATION                                                   # DurationLit
    | PERCENT                                                    # PercentLit
    | STRING                                                     # StringLit
    | ('true' | 'false')                                         # BoolLit
    | qname '(' (arg (',' arg)*)? ')'                            # CallExpr
    | name selector?                                             # NameExpr
    | '(' expr ')'                                               # ParenExpr
    ;
arg         : (name '=')? expr ;
selector    : '{' (matcher (',' matcher)* ','?)? '}' ;
matcher     : name matchOp STRING ;
matchOp     : '=' | '!=' | '=~' | '!~' ;

qname       : name ('.' name)* ;
// Keywords that may also be used as names (labels, nodes, parameters).
name
    : IDENT | 'on' | 'by' | 'keep' | 'severity' | 'labels' | 'message' | 'value'
    | 'interval' | 'start' | 'input' | 'expect' | 'no' | 'firing' | 'pending'
    | 'inactive' | 'resolved' | 'node' | 'forbid' | 'require' | 'root' | 'leaf'
    | 'graph' | 'series' | 'test' | 'intent' | 'service' | 'objective' | 'target' | 'over'
    | 'alert' | 'burn'
    ;

DURATION    : ([0-9]+ ('ms' | 's' | 'm' | 'h' | 'd' | 'w'))+ ;
PERCENT     : DECIMAL '%' ;
NUMBER      : DECIMAL ;
fragment DECIMAL : ([0-9]+ ('.' [0-9]*)? | '.' [0-9]+) ([eE] [+-]? [0-9]+)? ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;
COMMENT     : '#' ~[\r\n]* -> skip ;
WS          : [ \t\r\n]+ -> skip ;
// Any other character is a token of its own so the parser reports it with its position.
ERRCHAR     : . ;

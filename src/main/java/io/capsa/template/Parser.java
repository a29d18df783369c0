package io.capsa.template;

import io.capsa.template.Node.ActionNode;
import io.capsa.template.Node.BranchNode;
import io.capsa.template.Node.ChainNode;
import io.capsa.template.Node.CommandNode;
import io.capsa.template.Node.DotNode;
import io.capsa.template.Node.FieldNode;
import io.capsa.template.Node.IdentifierNode;
import io.capsa.template.Node.ListNode;
import io.capsa.template.Node.LiteralNode;
import io.capsa.template.Node.LoopControlNode;
import io.capsa.template.Node.PipeNode;
import io.capsa.template.Node.TextNode;
import io.capsa.template.Node.VariableNode;
import io.capsa.template.Token.Kind;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Builds the tree from the tokens, following Go's text/template/parse, and words its errors as Go does. */
final class Parser {
    /** {{end}} and {{else}}: they close what itemList() is reading and are never part of the tree. */
    private static final class Delimiter extends Node {
        final boolean isElse;

        Delimiter(int pos, boolean isElse) {
            super(pos);
            this.isElse = isElse;
        }

        @Override
        public String toString() {
            return isElse ? "{{else}}" : "{{end}}";
        }
    }

    /** Deeper nesting of parentheses and control structures is refused rather than overflowing the stack. */
    private static final int MAX_DEPTH = 100;

    private final List<Token> tokens;
    private int depth;
    private int next;
    private int furthest; // the furthest token looked at: Go's errors name its line
    private int actionLine;
    private int rangeDepth;
    private final List<String> vars = new ArrayList<>(List.of("$"));

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static ListNode parse(String text) {
        Parser p = new Parser(Lexer.lex(text));
        ListNode root = new ListNode(0);
        while (p.peek().kind != Kind.EOF) {
            Node n = p.textOrAction();
            if (n instanceof Delimiter) throw p.error("unexpected " + n);
            root.nodes.add(n);
        }
        return root;
    }

    private Node textOrAction() {
        Token t = nextNonSpace();
        if (t.kind == Kind.TEXT) return new TextNode(t.pos, t.text);
        if (t.kind == Kind.LEFT_DELIM) {
            actionLine = t.line;
            return action();
        }
        throw unexpected(t, "input");
    }

    private Node action() {
        Token t = nextNonSpace();
        if (t.kind == Kind.KEYWORD) {
            switch (t.text) {
                case "if", "range", "with" -> {
                    return control(t.text);
                }
                case "else" -> {
                    return elseDelimiter(t);
                }
                case "end" -> {
                    expect(Kind.RIGHT_DELIM, "end");
                    return new Delimiter(t.pos, false);
                }
                case "break", "continue" -> {
                    if (rangeDepth == 0) throw error("{{" + t.text + "}} outside {{range}}");
                    expect(Kind.RIGHT_DELIM, t.text);
                    return new LoopControlNode(t.pos, t.text.equals("break"));
                }
                default -> throw error("{{" + t.text + "}} is not supported");
            }
        }
        backup();
        Token first = peek();
        return new ActionNode(first.pos, pipeline("command", Kind.RIGHT_DELIM));
    }

    private Node elseDelimiter(Token t) {
        Token after = peekNonSpace();
        if (after.kind == Kind.KEYWORD && (after.text.equals("if") || after.text.equals("with")))
            return new Delimiter(after.pos, true); // "{{else if": the "if" is left for control() to read
        expect(Kind.RIGHT_DELIM, "else");
        return new Delimiter(t.pos, true);
    }

    /** if, range or with up to its {{end}}; variables it declares are gone after the end. */
    private BranchNode control(String keyword) {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        try {
            return controlBody(keyword);
        } finally {
            depth--;
        }
    }

    private BranchNode controlBody(String keyword) {
        int outerVars = vars.size();
        PipeNode pipe = pipeline(keyword, Kind.RIGHT_DELIM);
        if (keyword.equals("range")) rangeDepth++;
        ListNode list = new ListNode(peekNonSpace().pos);
        Node end = itemList(list);
        if (keyword.equals("range")) rangeDepth--;
        ListNode elseList = null;
        if (end instanceof Delimiter d && d.isElse) {
            elseList = new ListNode(end.pos);
            Token t = peek();
            if (!keyword.equals("range") && t.kind == Kind.KEYWORD && t.text.equals(keyword)) {
                next(); // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with one {{end}}
                elseList.nodes.add(control(keyword));
            } else {
                end = itemList(elseList);
                if (end instanceof Delimiter e && e.isElse) throw error("expected end; found " + end);
            }
        }
        vars.subList(outerVars, vars.size()).clear();
        return new BranchNode(pipe.pos, keyword, pipe, list, elseList);
    }

    /** Nodes up to the {{end}} or {{else}} that closes them, which is returned. */
    private Node itemList(ListNode list) {
        while (peekNonSpace().kind != Kind.EOF) {
            Node n = textOrAction();
            if (n instanceof Delimiter) return n;
            list.nodes.add(n);
        }
        throw error("unexpected EOF");
    }

    private PipeNode pipeline(String context, Kind end) {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        try {
            return pipelineBody(context, end);
        } finally {
            depth--;
        }
    }

    private PipeNode pipelineBody(String context, Kind end) {
        PipeNode pipe = new PipeNode(peekNonSpace().pos);
        declarations(pipe, context);
        while (true) {
            Token t = nextNonSpace();
            if (t.kind == end) {
                if (pipe.commands.isEmpty()) throw error("missing value for " + context);
                for (int i = 1; i < pipe.commands.size(); i++) {
                    Node first = pipe.commands.get(i).args.get(0);
                    if (first instanceof LiteralNode || first instanceof DotNode)
                        throw error("non executable command in pipeline stage " + (i + 1));
                }
                return pipe;
            }
            switch (t.kind) {
                case BOOL, CHAR_CONSTANT, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN -> {
                    backup();
                    pipe.commands.add(command());
                }
                default -> throw unexpected(t, context);
            }
        }
    }

    /** "$x :=", "$x =", or in a range "$i, $v :=". */
    private void declarations(PipeNode pipe, String context) {
        while (peekNonSpace().kind == Kind.VARIABLE) {
            int variableAt = next;
            Token v = next();
            Token after = peekNonSpace();
            if (after.kind == Kind.ASSIGN || after.kind == Kind.DECLARE) {
                pipe.assign = after.kind == Kind.ASSIGN;
                nextNonSpace();
                declare(pipe, v);
                return;
            }
            if (after.kind == Kind.CHAR && after.text.equals(",")) {
                nextNonSpace();
                declare(pipe, v);
                if (context.equals("range") && pipe.decls.size() < 2) {
                    Kind k = peekNonSpace().kind;
                    if (k == Kind.VARIABLE || k == Kind.RIGHT_DELIM || k == Kind.RIGHT_PAREN) continue;
                    throw error("range can only initialize variables");
                }
                throw error("too many declarations in " + context);
            }
            next = variableAt; // "$x foo": the variable is an argument, not a declaration
            return;
        }
    }

    private void declare(PipeNode pipe, Token v) {
        pipe.decls.add(new VariableNode(v.pos, new String[] {v.text}));
        vars.add(v.text);
    }

    private CommandNode command() {
        CommandNode cmd = new CommandNode(peekNonSpace().pos);
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) cmd.args.add(operand);
            Token t = next();
            if (t.kind == Kind.SPACE) continue;
            if (t.kind == Kind.RIGHT_DELIM || t.kind == Kind.RIGHT_PAREN) backup();
            else if (t.kind != Kind.PIPE) throw unexpected(t, "operand");
            break;
        }
        if (cmd.args.isEmpty()) throw error("empty command");
        return cmd;
    }

    /** A term and the fields that follow it without a space: .A.B, $x.A, (pipeline).A. */
    private Node operand() {
        Node term = term();
        if (term == null || peek().kind != Kind.FIELD) return term;
        int chainAt = peek().pos;
        List<String> names = new ArrayList<>();
        while (peek().kind == Kind.FIELD) names.add(next().text.substring(1));
        if (term instanceof FieldNode f) return new FieldNode(chainAt, concat(f.names, names));
        if (term instanceof VariableNode v) return new VariableNode(chainAt, concat(v.names, names));
        if (term instanceof LiteralNode || term instanceof DotNode)
            throw error("unexpected . after term " + GoFormat.quote(term.toString()));
        return new ChainNode(chainAt, term, names.toArray(new String[0]));
    }

    private static String[] concat(String[] head, List<String> tail) {
        String[] all = new String[head.length + tail.size()];
        System.arraycopy(head, 0, all, 0, head.length);
        for (int i = 0; i < tail.size(); i++) all[head.length + i] = tail.get(i);
        return all;
    }

    private Node term() {
        Token t = nextNonSpace();
        switch (t.kind) {
            case IDENTIFIER -> {
                if (!Functions.exists(t.text)) throw error("function " + GoFormat.quote(t.text) + " not defined");
                return new IdentifierNode(t.pos, t.text);
            }
            case DOT -> {
                return new DotNode(t.pos);
            }
            case NIL -> {
                return new LiteralNode(t.pos, "nil", null);
            }
            case VARIABLE -> {
                if (!vars.contains(t.text)) throw error("undefined variable " + GoFormat.quote(t.text));
                return new VariableNode(t.pos, new String[] {t.text});
            }
            case FIELD -> {
                return new FieldNode(t.pos, new String[] {t.text.substring(1)});
            }
            case BOOL -> {
                return new LiteralNode(t.pos, t.text, t.text.equals("true"));
            }
            case NUMBER, CHAR_CONSTANT -> {
                return new LiteralNode(t.pos, t.text, number(t));
            }
            case LEFT_PAREN -> {
                return pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
            }
            case STRING, RAW_STRING -> {
                return new LiteralNode(t.pos, t.text, unquote(t));
            }
            default -> {
                backup();
                return null;
            }
        }
    }

    /**
     * A constant's value as Go gives it to a function taking any: an int (Long) unless written with a
     * fraction or exponent, then a float64 (Double); a character constant is its code point.
     */
    private Object number(Token t) {
        String s = t.text;
        if (t.kind == Kind.CHAR_CONSTANT) {
            String c = GoFormat.unquote(s.substring(1, s.length() - 1), '\'');
            if (c == null) throw error("invalid syntax");
            if (c.codePointCount(0, c.length()) != 1) throw error("malformed character constant: " + s);
            return (long) c.codePointAt(0);
        }
        String digits = s.replace("_", "");
        boolean negative = digits.startsWith("-");
        String unsigned = negative || digits.startsWith("+") ? digits.substring(1) : digits;
        boolean hex = unsigned.startsWith("0x") || unsigned.startsWith("0X");
        try {
            if (!hex && (unsigned.indexOf('.') >= 0 || unsigned.indexOf('e') >= 0 || unsigned.indexOf('E') >= 0)
                    || hex && (unsigned.indexOf('p') >= 0 || unsigned.indexOf('P') >= 0))
                return Double.parseDouble(digits);
            int radix = 10;
            String body = unsigned;
            if (hex) {
                radix = 16;
                body = unsigned.substring(2);
            } else if (unsigned.startsWith("0o") || unsigned.startsWith("0O")) {
                radix = 8;
                body = unsigned.substring(2);
            } else if (unsigned.startsWith("0b") || unsigned.startsWith("0B")) {
                radix = 2;
                body = unsigned.substring(2);
            } else if (unsigned.length() > 1 && unsigned.startsWith("0")) {
                radix = 8;
            }
            BigInteger n = new BigInteger((negative ? "-" : "") + body, radix);
            if (n.bitLength() < 64) return n.longValue();
            if (n.signum() > 0 && n.bitLength() == 64) return n; // a uint64: Go refuses it when used, as too big for an int
            throw new NumberFormatException();
        } catch (NumberFormatException e) {
            if (readsAsFloat(digits)) throw error("integer overflow: " + GoFormat.quote(s)); // as Go words it, "08" too
            throw error("illegal number syntax: " + GoFormat.quote(s));
        }
    }

    private static boolean readsAsFloat(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String unquote(Token t) {
        String s = t.text;
        if (t.kind == Kind.RAW_STRING) return s.substring(1, s.length() - 1).replace("\r", "");
        String value = GoFormat.unquote(s.substring(1, s.length() - 1), '"');
        if (value == null) throw error("invalid syntax");
        return value;
    }

    private void expect(Kind kind, String context) {
        Token t = nextNonSpace();
        if (t.kind != kind) throw unexpected(t, context);
    }

    private TemplateException unexpected(Token t, String context) {
        if (t.kind == Kind.ERROR) {
            String extra = "";
            if (actionLine != 0 && actionLine != t.line) {
                extra = " in action started at :" + actionLine;
                if (t.text.endsWith(" action")) extra = extra.substring(" in action".length());
            }
            return error(t.text + extra);
        }
        return error("unexpected " + t + " in " + context);
    }

    private TemplateException error(String message) {
        return new TemplateException("template: :" + peekAt(furthest).line + ": " + message);
    }

    private Token next() {
        Token t = peek();
        next++;
        return t;
    }

    private void backup() {
        next--;
    }

    /** The last token, EOF or ERROR, repeats forever. */
    private Token peek() {
        furthest = Math.max(furthest, next);
        return peekAt(next);
    }

    private Token peekAt(int i) {
        return tokens.get(Math.min(i, tokens.size() - 1));
    }

    private Token nextNonSpace() {
        Token t = next();
        while (t.kind == Kind.SPACE) t = next();
        return t;
    }

    private Token peekNonSpace() {
        while (peek().kind == Kind.SPACE) next++;
        return peek();
    }
}

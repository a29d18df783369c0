package io.capsa.template;

import io.capsa.template.Token.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into tokens as Go's text/template lexer does: text, and inside {{ }} the words of
 * actions, with spaces kept as tokens because they separate arguments ("$x.F" is one operand, "$x .F" two).
 * Trim markers ("{{- " and " -}}") are applied here to the neighbouring text. It stops at the first error,
 * which becomes an ERROR token for the parser to report where it meets it.
 */
final class Lexer {
    private static final String LEFT = "{{", RIGHT = "}}";

    private final String in;
    private final List<Token> tokens = new ArrayList<>();
    private int start, pos, line = 1, startLine = 1, parenDepth;

    private Lexer(String in) {
        this.in = in;
    }

    static List<Token> lex(String text) {
        Lexer l = new Lexer(text);
        l.run();
        return l.tokens;
    }

    private void run() {
        while (text() && action()) {
            // each round is one text and one action
        }
    }

    /** The text up to the next {{ (trimmed when it is "{{- "); false at the end of the input. */
    private boolean text() {
        int x = in.indexOf(LEFT, pos);
        if (x < 0) {
            pos = in.length();
            if (pos > start) emit(Kind.TEXT);
            emit(Kind.EOF);
            return false;
        }
        int end = x;
        if (leftTrimMarker(x + LEFT.length())) while (end > start && isSpace(in.charAt(end - 1))) end--;
        pos = end;
        if (pos > start) emit(Kind.TEXT);
        pos = x;
        ignore();
        return true;
    }

    /** One {{ }}: a comment or an action. False after an error. */
    private boolean action() {
        pos += LEFT.length();
        boolean trim = leftTrimMarker(pos);
        int afterMarker = trim ? 2 : 0;
        if (in.startsWith("/*", pos + afterMarker)) return comment(afterMarker);
        emit(Kind.LEFT_DELIM);
        pos += afterMarker;
        ignore();
        parenDepth = 0;
        while (true) {
            int delim = rightDelim();
            if (delim != 0) {
                if (parenDepth != 0) return error("unclosed left paren");
                return closeAction(delim == 2);
            }
            if (!insideAction()) return false;
        }
    }

    private boolean comment(int afterMarker) {
        pos += afterMarker;
        ignore();
        int x = in.indexOf("*/", pos + 2);
        if (x < 0) return error("unclosed comment");
        pos = x + 2;
        int delim = rightDelim();
        if (delim == 0) return error("comment ends before closing delimiter");
        return skipRightDelim(delim == 2);
    }

    private boolean closeAction(boolean trim) {
        if (trim) {
            pos += 2;
            ignore();
        }
        pos += RIGHT.length();
        emit(Kind.RIGHT_DELIM);
        return trimAfter(trim);
    }

    private boolean skipRightDelim(boolean trim) {
        if (trim) pos += 2;
        pos += RIGHT.length();
        ignore();
        return trimAfter(trim);
    }

    private boolean trimAfter(boolean trim) {
        if (trim) {
            while (pos < in.length() && isSpace(in.charAt(pos))) pos++;
            ignore();
        }
        return true;
    }

    /** 0: not at the closing delimiter; 1: at "}}"; 2: at " -}}". */
    private int rightDelim() {
        if (pos + 1 < in.length() && isSpace(in.charAt(pos)) && in.charAt(pos + 1) == '-' && in.startsWith(RIGHT, pos + 2))
            return 2;
        return in.startsWith(RIGHT, pos) ? 1 : 0;
    }

    private boolean leftTrimMarker(int at) {
        return at + 1 < in.length() && in.charAt(at) == '-' && isSpace(in.charAt(at + 1));
    }

    /** One token inside an action; false after an error. */
    private boolean insideAction() {
        if (pos >= in.length()) return error("unclosed action");
        char c = in.charAt(pos++);
        if (isSpace(c)) {
            while (pos < in.length() && isSpace(in.charAt(pos)) && rightDelim() != 2) pos++;
            return emit(Kind.SPACE);
        }
        switch (c) {
            case '=':
                return emit(Kind.ASSIGN);
            case ':':
                if (pos >= in.length() || in.charAt(pos) != '=') return error("expected :=");
                pos++;
                return emit(Kind.DECLARE);
            case '|':
                return emit(Kind.PIPE);
            case '"':
                return quoted('"', Kind.STRING, "unterminated quoted string");
            case '`':
                return rawQuote();
            case '$':
                return fieldOrVariable(Kind.VARIABLE);
            case '\'':
                return quoted('\'', Kind.CHAR_CONSTANT, "unterminated character constant");
            case '(':
                parenDepth++;
                return emit(Kind.LEFT_PAREN);
            case ')':
                parenDepth--; // one too many is the parser's to report
                return emit(Kind.RIGHT_PAREN);
            case '.':
                if (pos < in.length() && isDigit(in.charAt(pos))) {
                    pos--;
                    return number();
                }
                return fieldOrVariable(Kind.FIELD);
            default:
                if (c == '+' || c == '-' || isDigit(c)) {
                    pos--;
                    return number();
                }
                if (isAlphaNumeric(c)) return identifier();
                if (c < 0x7f && c >= 0x20) return emit(Kind.CHAR);
                return error("unrecognized character in action: " + GoFormat.unicode(c));
        }
    }

    private boolean identifier() {
        while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) pos++;
        if (!atTerminator()) return error("bad character " + GoFormat.unicode(in.charAt(pos)));
        String word = in.substring(start, pos);
        switch (word) {
            case "true", "false" -> emit(Kind.BOOL);
            case "nil" -> emit(Kind.NIL);
            case "if", "else", "end", "range", "with", "break", "continue", "define", "template", "block" -> emit(Kind.KEYWORD);
            default -> emit(Kind.IDENTIFIER);
        }
        return true;
    }

    /** After '.' or '$': a field or variable name, or alone the dot or the root variable. */
    private boolean fieldOrVariable(Kind kind) {
        if (atTerminator()) return emit(kind == Kind.FIELD ? Kind.DOT : Kind.VARIABLE);
        while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) pos++;
        if (!atTerminator()) return error("bad character " + GoFormat.unicode(in.charAt(pos)));
        return emit(kind);
    }

    private boolean atTerminator() {
        if (pos >= in.length()) return true;
        char c = in.charAt(pos);
        if (isSpace(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(') return true;
        return in.startsWith(RIGHT, pos);
    }

    /** Scans what looks like a number; the parser decides what it means. */
    private boolean number() {
        if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) pos++;
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (accept("oO")) digits = "01234567_";
            else if (accept("bB")) digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (digits.length() == 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
            pos++;
            return error("bad number syntax: " + GoFormat.quote(in.substring(start, pos)));
        }
        return emit(Kind.NUMBER);
    }

    /** A "string" or 'c'haracter, up to the closing quote that no backslash escapes. */
    private boolean quoted(char close, Kind kind, String unterminated) {
        while (true) {
            if (pos >= in.length() || in.charAt(pos) == '\n') return error(unterminated);
            char c = in.charAt(pos++);
            if (c == '\\' && pos < in.length() && in.charAt(pos) != '\n') pos++;
            else if (c == close) return emit(kind);
        }
    }

    private boolean rawQuote() {
        int end = in.indexOf('`', pos);
        if (end < 0) return error("unterminated raw quoted string");
        pos = end + 1;
        return emit(Kind.RAW_STRING);
    }

    private boolean accept(String valid) {
        if (pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consumed
        }
    }

    private boolean emit(Kind kind) {
        tokens.add(new Token(kind, in.substring(start, pos), start, startLine));
        ignore();
        return true;
    }

    private void ignore() {
        for (int i = start; i < pos; i++) if (in.charAt(i) == '\n') line++;
        start = pos;
        startLine = line;
    }

    private boolean error(String message) {
        tokens.add(new Token(Kind.ERROR, message, start, startLine));
        return false;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlphaNumeric(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}

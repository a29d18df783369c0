package io.capsa.template;

/** One lexical item of a template, with its offset in the text and its line, for errors. */
final class Token {
    enum Kind {
        TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, FIELD, VARIABLE, IDENTIFIER, KEYWORD, DOT, BOOL, NIL, NUMBER, CHAR_CONSTANT,
        STRING, RAW_STRING, PIPE, LEFT_PAREN, RIGHT_PAREN, DECLARE, ASSIGN, CHAR, EOF, ERROR
    }

    final Kind kind;
    final String text;
    final int pos;
    final int line;

    Token(Kind kind, String text, int pos, int line) {
        this.kind = kind;
        this.text = text;
        this.pos = pos;
        this.line = line;
    }

    /** As Go's item.String() names it in "unexpected ... in ..." errors. */
    @Override
    public String toString() {
        if (kind == Kind.EOF) return "EOF";
        if (kind == Kind.ERROR) return text;
        if (kind == Kind.KEYWORD || kind == Kind.DOT || kind == Kind.NIL) return "<" + text + ">";
        if (text.length() > 10) return GoFormat.quote(text.substring(0, 10)) + "...";
        return GoFormat.quote(text);
    }
}

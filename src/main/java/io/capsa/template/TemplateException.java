package io.capsa.template;

/** A template that cannot be parsed or executed; the message is one line, worded as Go's text/template words it. */
public final class TemplateException extends RuntimeException {
    TemplateException(String message) {
        super(message);
    }
}

package io.capsa.template;

import io.capsa.spec.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The templates of Docker's documentation and tutorials over `docker inspect`-shaped data, in the field
 * order the engine gives (GoOracleTest checks the language case by case against Go itself).
 */
class TemplateTest {
    /** As capsa's JSON reader gives a `docker inspect` object: document order, integers as Long. */
    private static final Object CONTAINER = Json.parse("""
            {"Id": "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2",
             "Name": "/db",
             "Args": ["--appendonly", "yes"],
             "State": {"Status": "exited", "Running": false, "OOMKilled": true, "Pid": 0, "ExitCode": 137},
             "Mounts": [{"Type": "volume", "Source": "/var/lib/capsa/volumes/data/_data", "Destination": "/data"},
                        {"Type": "bind", "Source": "/srv/conf", "Destination": "/etc/conf"}],
             "Config": {"Hostname": "4fa6e0f0c678", "Env": ["PATH=/usr/bin", "REDIS_VERSION=7.2.4"],
                        "Cmd": ["redis-server"], "Image": "redis:7",
                        "Labels": {"version": "1.0", "com.example.vendor": "ACME & Co <x>"}},
             "NetworkSettings": {"Networks": {"none": {"NetworkID": "a1b2", "IPAddress": ""},
                                              "web": {"NetworkID": "c3d4", "IPAddress": "10.88.0.5"}}}}
            """, "inspect").raw();

    private static String run(String template, Object data) {
        return Template.parse(template).execute(data);
    }

    private static String run(String template) {
        return run(template, CONTAINER);
    }

    @Test
    void dockerInspectExamples() {
        assertEquals("0", run("{{.State.Pid}}"));
        assertEquals("4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2", run("{{.Id}}"));
        assertEquals("/db", run("{{.Name}}"));
        assertEquals("137", run("{{.State.ExitCode}}"));
        assertEquals("true", run("{{.State.OOMKilled}}"));
        assertEquals("1.0", run("{{index .Config.Labels \"version\"}}"));
        assertEquals("/var/lib/capsa/volumes/data/_data /srv/conf ", run("{{range .Mounts}}{{.Source}} {{end}}"));
        assertEquals("down", run("{{if .State.Running}}up{{else}}down{{end}}"));
        assertEquals("2", run("{{len .Config.Env}}"));
        assertEquals("PATH=/usr/bin,REDIS_VERSION=7.2.4", run("{{join .Config.Env \",\"}}"));
        assertEquals("com.example.vendor=ACME & Co <x>\nversion=1.0\n",
                run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{\"\\n\"}}{{end}}"));
        assertEquals("/db:0", run("{{printf \"%s:%d\" .Name .State.Pid}}"));
        assertEquals("/DB", run("{{upper .Name}}"));
        assertEquals("map[com.example.vendor:ACME & Co <x> version:1.0]", run("{{.Config.Labels}}"));
        assertEquals("[PATH=/usr/bin REDIS_VERSION=7.2.4]", run("{{.Config.Env}}"));
        assertEquals("4fa6e0f0c678", run("{{truncate .Id 12}}"));
    }

    /** The examples of docs.docker.com/engine/cli/formatting. */
    @Test
    void dockerFormattingReferenceExamples() {
        assertEquals("--appendonly , yes", run("{{join .Args \" , \"}}"));
        assertEquals("[redis 7]", run("{{split .Config.Image \":\"}}"));
        assertEquals("/db", run("{{lower .Name}}"));
        assertEquals("/Db", run("{{title .Name}}"));
        assertEquals("\n10.88.0.5\n", run("{{range .NetworkSettings.Networks}}{{println .IPAddress}}{{end}}"));
        assertEquals("[--appendonly yes]", run("{{split (join .Args \"/\") \"/\"}}"));
        assertEquals("10.88.0.5", run("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"));
        assertEquals("[{\"Type\":\"volume\",\"Source\":\"/var/lib/capsa/volumes/data/_data\",\"Destination\":\"/data\"},"
                + "{\"Type\":\"bind\",\"Source\":\"/srv/conf\",\"Destination\":\"/etc/conf\"}]", run("{{json .Mounts}}"));
    }

    @Test
    void jsonIsCompactUnescapedAndInTheEnginesFieldOrder() {
        assertEquals("{\"Hostname\":\"4fa6e0f0c678\",\"Env\":[\"PATH=/usr/bin\",\"REDIS_VERSION=7.2.4\"],"
                + "\"Cmd\":[\"redis-server\"],\"Image\":\"redis:7\","
                + "\"Labels\":{\"version\":\"1.0\",\"com.example.vendor\":\"ACME & Co <x>\"}}", run("{{json .Config}}"));
        assertEquals("{\"none\":{\"NetworkID\":\"a1b2\",\"IPAddress\":\"\"},\"web\":{\"NetworkID\":\"c3d4\",\"IPAddress\":\"10.88.0.5\"}}",
                run("{{json .NetworkSettings.Networks}}"));
        assertEquals("\"/db\"", run("{{json .Name}}"));
    }

    @Test
    void missingKeysPrintNoValueAndAreFalse() {
        assertEquals("<no value>", run("{{.State.Health}}"));
        assertEquals("<no value>", run("{{.State.Health.Status}}"));
        assertEquals("<no value>", run("{{index .Config.Labels \"missing\"}}"));
        assertEquals("none", run("{{with .State.Health}}{{.Status}}{{else}}none{{end}}"));
        assertEquals("", run("{{if .State.Health}}x{{end}}"));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("Entrypoint", null);
        assertEquals("<no value> <nil> null", run("{{.Entrypoint}} {{print .Entrypoint}} {{json .Entrypoint}}", withNull));
    }

    @Test
    void integersStayIntegersAndFloatsPrintAsGo() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Long", 1_000_000L);
        values.put("Integer", 42);
        values.put("Double", 1e6);
        values.put("Fraction", 0.25);
        assertEquals("1000000 42 1e+06 0.25", run("{{.Long}} {{.Integer}} {{.Double}} {{.Fraction}}", values));
        assertEquals("{\"Long\":1000000,\"Integer\":42,\"Double\":1000000,\"Fraction\":0.25}", run("{{json .}}", values));
        assertEquals("true true 00042", run("{{eq .Integer 42}} {{gt .Long .Integer}} {{printf \"%05d\" .Integer}}", values));
        assertEquals("ab", run("{{truncate \"abc\" .Integer | printf \"%.2s\"}}", values));
    }

    @Test
    void parsedOnceExecutedPerItem() {
        Template row = Template.parse("{{.Names}}\t{{.Status}}\n");
        StringBuilder out = new StringBuilder();
        for (String name : List.of("web", "db", "cache")) row.execute(Map.of("Names", name, "Status", "Up"), out);
        assertEquals("web\tUp\ndb\tUp\ncache\tUp\n", out.toString());
    }

    @Test
    void aFailedExecutionAppendsNothing() {
        Template t = Template.parse("{{.Name}} {{.Name.First}}");
        StringBuilder out = new StringBuilder("before\n");
        TemplateException e = assertThrows(TemplateException.class, () -> t.execute(Map.of("Name", "x"), out));
        // Go's position is the chain's second field; a map's values are interface{} to Go
        assertEquals("template: :1:17: executing \"\" at <.Name.First>: can't evaluate field First in type interface {}",
                e.getMessage());
        assertEquals("before\n", out.toString());
    }

    @Test
    void malformedTemplatesFailWithGosOneLineMessage() {
        assertEquals("template: :1: function \"foo\" not defined", parseError("{{foo .Name}}"));
        assertEquals("template: :1: unclosed action", parseError("{{.Name"));
        assertEquals("template: :2: unexpected EOF", parseError("{{if .Name}}\nx"));
        assertEquals("template: :1: unexpected {{end}}", parseError("{{.Name}}{{end}}"));
        assertEquals("template: :1: undefined variable \"$x\"", parseError("{{$x}}"));
        assertEquals("template: :1: missing value for if", parseError("{{if}}{{end}}"));
        assertEquals("template: :1: unterminated quoted string", parseError("{{\"abc}}"));
        assertEquals("template: :1: bad character U+007D '}'", parseError("{{.Name}"));
    }

    @Test
    void executionErrorsAreOneLine() {
        TemplateException e = assertThrows(TemplateException.class, () -> run("{{`a\nb` 1}}"));
        assertEquals("template: :1:2: executing \"\" at <`a\\nb`>: can't give argument to non-function `a\\nb`", e.getMessage());
    }

    @Test
    void tablePrefixAndEscapesAsDockersFormatter() {
        String format = "table {{.ID}}\\t{{.Image}}\\t{{.Names | upper}}\\t{{json .Labels}}\\t{{pad .Status 1 1}}  ";
        assertTrue(TableFormat.isTable(format));
        assertFalse(TableFormat.isTable("{{.ID}}"));
        String text = TableFormat.templateText(format);
        assertEquals("{{.ID}}\t{{.Image}}\t{{.Names | upper}}\t{{json .Labels}}\t{{pad .Status 1 1}}", text);
        assertEquals("{{.ID}}\n", TableFormat.templateText("{{.ID}}\\n"));
        assertEquals("", TableFormat.templateText("table"));

        Template t = Template.parse(text);
        Map<String, String> titles = Map.of("ID", "CONTAINER ID", "Image", "IMAGE", "Names", "NAMES", "Labels", "LABELS",
                "Status", "STATUS");
        assertEquals("CONTAINER ID\tIMAGE\tNAMES\tLABELS\t STATUS ", TableFormat.header(t, titles));
        Map<String, Object> row = Map.of("ID", "4fa6e0f0c678", "Image", "redis:7", "Names", "db", "Labels", Map.of("a", "b"),
                "Status", "Up");
        assertEquals("4fa6e0f0c678\tredis:7\tDB\t{\"a\":\"b\"}\t Up ", t.execute(row));
        String table = TableFormat.align(TableFormat.header(t, titles) + "\n" + t.execute(row) + "\n");
        assertEquals("CONTAINER ID   IMAGE     NAMES     LABELS       STATUS \n"
                + "4fa6e0f0c678   redis:7   DB        {\"a\":\"b\"}    Up \n", table);
    }

    /** Docker's ps, network ls and volume ls take {{.Label "key"}}, a method with an argument. */
    @Test
    void methodsTakeArguments() {
        Map<String, String> labels = Map.of("com.docker.compose.project", "shop");
        Template.Method label = args -> {
            if (args.size() != 1) throw new IllegalArgumentException("want 1 argument, got " + args.size());
            return labels.getOrDefault((String) args.get(0), "");
        };
        Map<String, Object> row = Map.of("Names", "shop-web-1", "Label", label, "Self", Map.of("Label", label));
        assertEquals("shop shop shop|", run("{{.Label \"com.docker.compose.project\"}} "
                + "{{\"com.docker.compose.project\" | .Label}} {{.Self.Label \"com.docker.compose.project\"}}|{{.Label \"x\"}}", row));
        assertEquals("template: :1:2: executing \"\" at <.Label>: error calling Label: want 1 argument, got 0",
                assertThrows(TemplateException.class, () -> run("{{.Label}}", row)).getMessage());
        assertEquals("template: :1:2: executing \"\" at <.Names>: Names is not a method but has arguments",
                assertThrows(TemplateException.class, () -> run("{{.Names 1}}", row)).getMessage());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String parens = "{{" + "(".repeat(5000) + "1" + ")".repeat(5000) + "}}";
        assertEquals("template: :1: nested deeper than 100 levels", parseError(parens));
        String ifs = "{{if 1}}".repeat(5000) + "{{end}}".repeat(5000);
        assertEquals("template: :1: nested deeper than 100 levels", parseError(ifs));
        assertEquals("1", run("{{" + "(".repeat(99) + "1" + ")".repeat(99) + "}}"));
        assertEquals("x", run("{{with 1}}".repeat(99) + "x" + "{{end}}".repeat(99)));
    }

    /** Expected outputs from Go 1.19's text/tabwriter, set up as docker's CLI sets it up. */
    @Test
    void tablesAlignAsGosTabwriter() {
        assertEquals("CONTAINER ID   IMAGE            NAMES\n4fa6e0f0c678   redis:7          db\n"
                        + "1234           busybox:latest   web-with-a-long-name\n",
                TableFormat.align("CONTAINER ID\tIMAGE\tNAMES\n4fa6e0f0c678\tredis:7\tdb\n1234\tbusybox:latest\tweb-with-a-long-name\n"));
        assertEquals("A         B\n", TableFormat.align("A\tB\n"));
        assertEquals("ID\n", TableFormat.align("ID\n"));
        assertEquals("", TableFormat.align(""));
        assertEquals("a                 b         c\nx                 y\nlonger-than-ten   z         w\n\np         q\n",
                TableFormat.align("a\tb\tc\nx\ty\nlonger-than-ten\tz\tw\n\np\tq\n"));
        assertEquals("héllo     wörld     x\nh         w         x\n", TableFormat.align("héllo\twörld\tx\nh\tw\tx\n"));
        assertEquals("no newline   at end", TableFormat.align("no newline\tat end"));
        assertEquals("                    empty\n          b         \n", TableFormat.align("\t\tempty\n\tb\t\n"));
    }

    private static String parseError(String template) {
        TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(template));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }
}

package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.network.Endpoint;
import io.capsa.network.NetworkConfig;
import io.capsa.network.Networks;
import io.capsa.network.Subnet;
import io.capsa.spec.Json;
import io.capsa.template.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** docker network inspect: each network as docker's JSON shows it (its fields, in its order), or through -f. */
final class NetworkInspectCommand implements Command {
    @Override
    public String names() {
        return "inspect";
    }

    @Override
    public Usage usage() {
        return new Usage("Display detailed information on one or more networks", "NETWORK [NETWORK...]",
                Flag.ofText("-f, --format", "TEMPLATE", "Format the output using the given Go template, or json"));
    }

    @Override
    public int run(Globals globals, Args args) {
        List<String> wanted = args.argsFrom(0);
        if (wanted.isEmpty()) throw new UsageException("\"capsa network inspect\" requires at least 1 argument");
        String format = args.value("--format");
        Template template = format == null || format.equals("json") ? null : Listing.parse(format);
        Networks networks = globals.networks();
        List<Object> all = new ArrayList<>();
        for (String name : wanted) all.add(describe(networks, networks.find(name)));
        if (template == null) return Main.print(Json.prettyAsDocker(all) + "\n");
        StringBuilder out = new StringBuilder();
        for (Object network : all) {
            template.execute(network, out);
            out.append('\n');
        }
        return Main.print(out.toString());
    }

    private static Map<String, Object> describe(Networks networks, NetworkConfig n) {
        Map<String, Object> ipamConfig = new LinkedHashMap<>();
        ipamConfig.put("Subnet", n.subnet().toString());
        ipamConfig.put("Gateway", Subnet.format(n.gateway()));
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", Map.of());
        ipam.put("Config", List.of(ipamConfig));
        Map<String, Object> containers = new TreeMap<>();
        for (Endpoint e : networks.endpoints(n)) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Name", e.containerName());
            c.put("EndpointID", "");
            c.put("MacAddress", e.mac());
            c.put("IPv4Address", e.address() + "/" + e.prefixLength());
            c.put("IPv6Address", "");
            containers.put(e.containerId(), c);
        }
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("Name", n.name());
        network.put("Id", n.id());
        network.put("Created", n.created());
        network.put("Scope", "local");
        network.put("Driver", "bridge");
        network.put("EnableIPv6", false);
        network.put("IPAM", ipam);
        network.put("Internal", n.internal());
        network.put("Attachable", false);
        network.put("Ingress", false);
        network.put("ConfigFrom", Map.of("Network", ""));
        network.put("ConfigOnly", false);
        network.put("Containers", containers);
        network.put("Options", Map.of("com.docker.network.bridge.name", n.bridge()));
        network.put("Labels", new TreeMap<>(n.labels()));
        return network;
    }
}

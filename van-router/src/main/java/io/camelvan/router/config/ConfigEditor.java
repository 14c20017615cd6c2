package io.camelvan.router.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Changes a site configuration file as an operator would: adds, changes or removes a link, an address
 * setting, a TLS profile or a service entry (a TCP or HTTP listener or connector),
 * checks that the result is a configuration the router accepts ({@link ConfigLoader#parse}), and only
 * then replaces the file atomically (temporary file and rename), so that a router watching the file
 * never reads half of it and a change that would break it is never written.
 *
 * <p>Layout: keys keep their order, and only the top-level sections that change ({@code links:},
 * {@code tls:}, {@code tcpListeners:}, ...) are rewritten, one entry per line in flow style; the rest of the file, comments
 * included, stays as written. <b>Comments inside a changed section are lost.</b> When a file's
 * layout does not allow replacing a section in place (a flow-style top level, say), the whole file
 * is written again from its parsed content in block style, and then all its comments are lost.
 *
 * <p>Not for concurrent use: two editors of one file at the same time keep only the last change.
 */
public final class ConfigEditor {

    /** Where a section the file lacks is inserted: after the nearest of these that precede it. */
    private static final List<String> KEY_ORDER = List.of("site", "router", "listeners", "links", "tls", "addresses", "users",
        "tcpListeners", "tcpConnectors", "httpListeners", "httpConnectors", "admin");

    private final Path file;
    private final String original;
    private final ObjectNode root;
    private final Set<String> changed = new LinkedHashSet<>();

    private ConfigEditor(Path file, String original, ObjectNode root) {
        this.file = file;
        this.original = original;
        this.root = root;
    }

    /** Reads a configuration file to change it. */
    public static ConfigEditor open(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode tree;
        try {
            tree = ConfigLoader.yaml().readTree(text);
        } catch (JsonProcessingException e) {
            ConfigLoader.parse(text, file); // reports the syntax error with its line
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new ConfigException(file + ": the file is not a site configuration (expected keys such as 'site:')");
        }
        return new ConfigEditor(file, text, object);
    }

    /** Adds an entry under {@code links:}; refuses a name that is taken. */
    public ConfigEditor addLink(LinkConfig link) {
        ArrayNode links = list("links");
        if (indexOf(links, link.name()) >= 0) {
            throw new ConfigException(file + ": links: there is already a link named '" + link.name() + "'");
        }
        links.add(mapper().valueToTree(link));
        changed.add("links");
        return this;
    }

    /** Puts a changed link in the place of the one of the same name. */
    public ConfigEditor replaceLink(LinkConfig link) {
        ArrayNode links = list("links");
        int index = indexOf(links, link.name());
        if (index < 0) {
            throw new ConfigException(file + ": links: no link named '" + link.name() + "'");
        }
        links.set(index, mapper().valueToTree(link));
        changed.add("links");
        return this;
    }

    /** Removes the link of that name. */
    public ConfigEditor removeLink(String name) {
        ArrayNode links = list("links");
        int index = indexOf(links, name);
        if (index < 0) {
            throw new ConfigException(file + ": links: no link named '" + name + "'");
        }
        links.remove(index);
        changed.add("links");
        return this;
    }

    /** Adds an entry under {@code addresses:}; refuses a prefix that is there already. */
    public ConfigEditor addAddress(AddressConfig address) {
        ArrayNode addresses = list("addresses");
        if (indexOf(addresses, "prefix", address.prefix()) >= 0) {
            throw new ConfigException(file + ": addresses: there is already an entry for prefix '" + address.prefix() + "'");
        }
        addresses.add(mapper().valueToTree(address));
        changed.add("addresses");
        return this;
    }

    /** Puts a changed address setting in the place of the one with the same prefix. */
    public ConfigEditor replaceAddress(AddressConfig address) {
        ArrayNode addresses = list("addresses");
        int index = indexOf(addresses, "prefix", address.prefix());
        if (index < 0) {
            throw new ConfigException(file + ": addresses: no entry for prefix '" + address.prefix() + "'");
        }
        addresses.set(index, mapper().valueToTree(address));
        changed.add("addresses");
        return this;
    }

    /** Removes the address setting of that prefix. */
    public ConfigEditor removeAddress(String prefix) {
        ArrayNode addresses = list("addresses");
        int index = indexOf(addresses, "prefix", prefix);
        if (index < 0) {
            throw new ConfigException(file + ": addresses: no entry for prefix '" + prefix + "'");
        }
        addresses.remove(index);
        changed.add("addresses");
        return this;
    }

    /** Adds a profile under {@code tls:}; refuses a name that is taken. */
    public ConfigEditor addTlsProfile(String name, TlsProfile profile) {
        ObjectNode tls = map("tls");
        if (tls.has(name)) {
            throw new ConfigException(file + ": tls: there is already a TLS profile named '" + name + "'");
        }
        tls.set(name, mapper().valueToTree(profile));
        changed.add("tls");
        return this;
    }

    /** Removes the TLS profile of that name. */
    public ConfigEditor removeTlsProfile(String name) {
        if (!map("tls").has(name)) {
            throw new ConfigException(file + ": tls: no TLS profile named '" + name + "'");
        }
        map("tls").remove(name);
        changed.add("tls");
        return this;
    }

    /** Adds an entry to its service section ({@code tcpListeners:}, ...); refuses a name that is taken there. */
    public ConfigEditor addService(ServiceConfig entry) {
        String section = entry.type().section();
        ArrayNode entries = list(section);
        if (indexOf(entries, entry.name()) >= 0) {
            throw new ConfigException(file + ": " + section + ": there is already an entry named '" + entry.name() + "'");
        }
        entries.add(mapper().valueToTree(entry));
        changed.add(section);
        return this;
    }

    /** Removes the entry of that name from a service section. */
    public ConfigEditor removeService(ServiceType type, String name) {
        ArrayNode entries = list(type.section());
        int index = indexOf(entries, name);
        if (index < 0) {
            throw new ConfigException(file + ": " + type.section() + ": no entry named '" + name + "'");
        }
        entries.remove(index);
        changed.add(type.section());
        return this;
    }

    /**
     * The configuration the changes give, checked, without writing it.
     *
     * @throws ConfigException when the result would not be a valid configuration
     */
    public SiteConfig preview() {
        return ConfigLoader.parse(text(), file);
    }

    /**
     * Checks the changed configuration and writes it.
     *
     * @return the configuration as now on file
     * @throws ConfigException when the result would not be a valid configuration; the file is left as it was
     */
    public SiteConfig save() {
        String text = text();
        SiteConfig config = ConfigLoader.parse(text, file);
        writeAtomically(text);
        return config;
    }

    /** The changed file's text: sections replaced in place when the layout allows, else the whole file again. */
    private String text() {
        String text = replaceChangedSections();
        if (hasContentOfTree(text)) {
            return text;
        }
        try {
            return mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": cannot write the configuration: " + e.getOriginalMessage(), e);
        }
    }

    private String replaceChangedSections() {
        YamlSections sections = new YamlSections(original);
        // in the usual order, so that a section added after another new one finds it in place
        for (String key : changed.stream().sorted(Comparator.comparingInt(KEY_ORDER::indexOf)).toList()) {
            sections.put(key, root.get(key), precedingKey(key));
        }
        return sections.text();
    }

    private boolean hasContentOfTree(String text) {
        try {
            JsonNode written = mapper().readTree(text);
            return root.equals(written) && keyOrder(written).equals(keyOrder(root));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static List<String> keyOrder(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    /** The list under a top-level key, created (in its usual place) when absent. */
    private ArrayNode list(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            ArrayNode created = mapper().createArrayNode();
            putSection(key, created);
            return created;
        }
        if (!(node instanceof ArrayNode array)) {
            throw new ConfigException(file + ": " + key + ": expected a list");
        }
        return array;
    }

    /** The map under a top-level key, created (in its usual place) when absent. */
    private ObjectNode map(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            ObjectNode created = mapper().createObjectNode();
            putSection(key, created);
            return created;
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ConfigException(file + ": " + key + ": expected a map of names to entries");
        }
        return object;
    }

    /** Sets a top-level section: where it is when the file has it (empty), else in its usual place. */
    private void putSection(String key, JsonNode value) {
        if (root.has(key)) {
            root.set(key, value);
            return;
        }
        String after = precedingKey(key);
        if (after == null) {
            root.set(key, value);
            return;
        }
        ObjectNode reordered = mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            reordered.set(entry.getKey(), entry.getValue());
            if (entry.getKey().equals(after)) {
                reordered.set(key, value);
            }
        }
        root.removeAll();
        root.setAll(reordered);
    }

    /** The last key present in the file that comes before {@code key} in the usual order. */
    private String precedingKey(String key) {
        String found = null;
        for (String candidate : KEY_ORDER.subList(0, Math.max(0, KEY_ORDER.indexOf(key)))) {
            if (root.has(candidate) && !candidate.equals(key)) {
                found = candidate;
            }
        }
        return found;
    }

    private static int indexOf(ArrayNode entries, String name) {
        return indexOf(entries, "name", name);
    }

    private static int indexOf(ArrayNode entries, String key, String value) {
        for (int i = 0; i < entries.size(); i++) {
            if (value.equals(entries.get(i).path(key).asText(null))) {
                return i;
            }
        }
        return -1;
    }

    /** Write-then-rename beside the file, keeping its permissions, so readers see the old or the new file. */
    private void writeAtomically(String text) {
        Path temp = null;
        try {
            Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            if (Files.exists(target) && target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a stray temporary file at worst; the configuration itself was written or left as it was
        }
    }

    private static ObjectMapper mapper() {
        return ConfigLoader.yaml();
    }
}

package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.config.AddressConfig;
import io.camelvan.router.config.Distribution;

/**
 * The {@code addressSetting} entities: the {@code addresses:} entries of the site, distribution by
 * address prefix, named by their prefix. Changes are written to the site file and apply to
 * addresses whose entry is created afterwards: an address in use keeps its distribution until its
 * last link has gone. Each router has its own settings: change every router of the network alike.
 */
public final class AddressSettingEntities implements ManagedType {

    private final SiteChanges site;

    public AddressSettingEntities(SiteChanges site) {
        this.site = site;
    }

    @Override
    public List<Map<String, Object>> query() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AddressConfig a : site.config().addresses()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", a.prefix());
            e.put("prefix", a.prefix());
            e.put("distribution", a.distribution().yamlName());
            out.add(e);
        }
        return out;
    }

    @Override
    public Map<String, Object> create(String name, Map<String, Object> attributes) {
        if (find(name) != null) {
            throw ManagementException.conflict("there is already a setting for prefix '" + name + "'");
        }
        AddressConfig setting = new AddressConfig(name, distribution(attributes, null));
        SiteChanges.apply(site, editor -> editor.addAddress(setting));
        return read(name);
    }

    @Override
    public Map<String, Object> update(String name, Map<String, Object> attributes) {
        AddressConfig old = find(name);
        if (old == null) {
            throw ManagementException.notFound("address setting for prefix '" + name + "'");
        }
        AddressConfig setting = new AddressConfig(name, distribution(attributes, old.distribution()));
        SiteChanges.apply(site, editor -> editor.replaceAddress(setting));
        return read(name);
    }

    @Override
    public void delete(String name) {
        if (find(name) == null) {
            throw ManagementException.notFound("address setting for prefix '" + name + "'");
        }
        SiteChanges.apply(site, editor -> editor.removeAddress(name));
    }

    private static Distribution distribution(Map<String, Object> attributes, Distribution fallback) {
        Attributes a = new Attributes(attributes);
        a.onlyKnown("address setting", "name", "prefix", "distribution");
        String text = a.string("distribution", null);
        if (text == null) {
            return fallback;
        }
        try {
            return Distribution.parse(text);
        } catch (IllegalArgumentException e) {
            throw ManagementException.badRequest("distribution: " + e.getMessage());
        }
    }

    private AddressConfig find(String prefix) {
        return site.config().addresses().stream().filter(a -> a.prefix().equals(prefix)).findFirst().orElse(null);
    }
}

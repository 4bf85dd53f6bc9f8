package dev.myzoom.support;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** How browser tests find things: by the accessible names people and screen readers use. */
public final class Ui {
    public static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);

    private Ui() {}

    public static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    public static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, named(name));
    }

    /** The chat's own and others' lines ("You: …", "nick: …"), without notices. */
    public static Locator chatLines(Page page) {
        return page.getByRole(AriaRole.LOG).locator("li:not(.notice) .body");
    }

    /** Types a chat line and sends it with Enter. */
    public static void say(Page page, String text) {
        page.getByLabel("Message", EXACT).fill(text);
        page.getByLabel("Message", EXACT).press("Enter");
    }
}

package proxy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestOpsAdminPageInBrowser drives the OCI Integration page in headless
// Chromium the way an operator would: a wrong token is refused, the right
// one logs in; a switch straight to Omnichannel Inventory is refused with
// its reason; OCI Cache Enabled fills the Cache Status table; the switch to
// OCI is refused naming the list that is not ready, then forced; a sku with
// markup in the compare view renders as text; logging out ends the session.
func TestOpsAdminPageInBrowser(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithoutAustin)
	w.stock("wh-a", 10, "sku-1", "sku-2", "sku-3")
	w.stock("wh-b", 5, "sku-1")
	w.stock("phoenix", 3, "sku-1", "sku-2")
	b := startBrowser(t)
	const wait = 10 * time.Second

	b.navigate(w.edge.URL() + "/admin/oci")
	b.await(wait, "the login form", `!!document.querySelector('#login-form')`)
	b.fill("#token", "not-the-token")
	b.click("#login")
	b.await(wait, "the refusal", `!!document.querySelector('#login-error')`)
	b.fill("#token", "admin-token")
	b.click("#login")
	b.await(wait, "the page after login", `!!document.querySelector('#cache-status')`)
	b.await(wait, "the mode", `document.querySelector('#mode').dataset.mode === 'COMMERCE_PLATFORM'`)

	b.click(`button[data-mode="OMNICHANNEL_INVENTORY"]`)
	b.await(wait, "the refused switch's reason", `!document.querySelector('#mode-error').hidden`)
	if got := b.text("#mode-error"); !strings.Contains(got, "refused") || !strings.Contains(got, "OCI_CACHE_ENABLED first") {
		t.Errorf("a refused switch shows its reason: %q", got)
	}

	b.click(`button[data-mode="OCI_CACHE_ENABLED"]`)
	b.await(wait, "OCI Cache Enabled", `document.querySelector('#mode').textContent === 'OCI Cache Enabled'`)
	b.await(wait, "the Cache Status table to fill", `(() => {
		const cells = (id) => [...(document.querySelector('tr[data-list="' + id + '"]') || {cells: []}).cells].map((c) => c.textContent);
		const on = cells('online-us'), ph = cells('phoenix'), au = cells('austin');
		return on[1] === 'Group' && on[2] === '3' && on[5] === 'streaming' && ph[1] === 'Location' && ph[2] === '2' && au[1] === 'N/A';
	})()`)
	b.await(wait, "the warning about austin", `document.querySelector('#warnings').textContent.includes('"austin"')`)
	b.await(wait, "checklist step 3 ticked", `document.querySelector('#checklist li[data-step="3"]').dataset.done === 'true'`)

	b.click(`button[data-mode="OMNICHANNEL_INVENTORY"]`)
	b.await(wait, "the refusal naming austin", `document.querySelector('#mode-error').textContent.includes('austin')`)
	if m := b.text("#mode"); m != "OCI Cache Enabled" {
		t.Errorf("a refused switch leaves the mode: %q", m)
	}

	compareEscapes(t, b, w)

	b.click("#force")
	b.click(`button[data-mode="OMNICHANNEL_INVENTORY"]`)
	b.await(wait, "Omnichannel Inventory", `document.querySelector('#mode').textContent === 'Omnichannel Inventory'`)
	b.await(wait, "checklist step 7 ticked", `document.querySelector('#checklist li[data-step="7"]').dataset.done === 'true'`)
	if got := w.edge.Mode().String(); got != "OMNICHANNEL_INVENTORY" {
		t.Errorf("the edge is in %s", got)
	}

	b.click("#logout")
	b.await(wait, "the login form after logout", `!!document.querySelector('#login-form')`)
	if v := b.run(`fetch('/admin/api/oci/status', {headers: {'X-OCIEdge-Admin': '1'}}).then((r) => r.status)`); v != 401.0 {
		t.Errorf("after logout the API refuses the browser: %v", v)
	}
}

// compareEscapes looks a real sku and a sku made of markup up in the
// compare view: values show, the markup is text and never runs.
func compareEscapes(t *testing.T, b *browser, w *world) {
	t.Helper()
	b.fill("#compare-sku", "sku-1")
	b.click("#compare-go")
	b.await(10*time.Second, "the comparison", `(() => {
		const r = document.querySelector('#compare tr[data-list="online-us"]');
		return !!r && r.cells[1].textContent === 'hit' && r.cells[6].textContent === '15';
	})()`)

	const evil = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`
	b.run(`window.__pwned = 0`)
	b.fill("#compare-sku", evil)
	b.click("#compare-go")
	b.await(10*time.Second, "the markup sku's comparison", fmt.Sprintf(`document.querySelector('#compare-title').textContent.includes(%q)`, evil))
	if v := b.run(`document.querySelectorAll('main script, main img').length`); v != 0.0 {
		t.Errorf("markup from a sku reached the DOM as elements: %v", v)
	}
	if v := b.run(`window.__pwned`); v != 0.0 {
		t.Errorf("markup from a sku ran: %v", v)
	}
}

// TestOpsCoreAdminPageInBrowser signs in to the core's page with client
// credentials and sees the graph and the record counts.
func TestOpsCoreAdminPageInBrowser(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithoutAustin)
	w.stock("wh-a", 10, "sku-1", "sku-2")
	b := startBrowser(t)
	b.navigate(w.core.URL() + "/admin")
	b.await(10*time.Second, "the sign-in form", `!document.querySelector('#login').hidden`)
	b.fill("#client-id", "dev")
	b.fill("#client-secret", "wrong")
	b.click("#creds-go")
	b.await(10*time.Second, "the refusal", `!document.querySelector('#login-error').hidden`)
	b.fill("#client-secret", "secret")
	b.click("#creds-go")
	b.await(10*time.Second, "the data", `!document.querySelector('#content').hidden`)
	b.await(10*time.Second, "the graph and counts", `(() => {
		const rows = [...document.querySelectorAll('#groups tbody tr')].map((r) => r.textContent);
		const stats = document.querySelector('#summary').textContent;
		return rows.some((r) => r.startsWith('online-us') && r.includes('wh-a')) && stats.includes('2Availability records')
			&& document.querySelector('#inv-result').className === 'ok';
	})()`)
}

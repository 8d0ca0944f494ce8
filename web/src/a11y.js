// a11y.js — Element Plus tables scroll inside a wrapper that a keyboard cannot reach (axe-core:
// scrollable-region-focusable), which matters on a phone where wide tables scroll sideways.  Every
// such wrapper gets tabindex="0" as it appears, so arrow keys scroll it.
export function focusableScrollRegions() {
  const fix = () => {
    for (const el of document.querySelectorAll('.el-table .el-scrollbar__wrap:not([tabindex])')) el.setAttribute('tabindex', '0');
  };
  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  fix();
}

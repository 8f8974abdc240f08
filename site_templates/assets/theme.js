// Applies the saved theme before the page paints. A file, not an inline script: the site's
// Content-Security-Policy allows only the site's own script files (registry/webpolicy.py).
try{var t=localStorage.getItem("relay-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}
// Marks that scripts run, so the stylesheet shows the controls that need them (search, filters,
// sort, copy buttons) and nothing that would do nothing without JavaScript.
document.documentElement.classList.add("js");

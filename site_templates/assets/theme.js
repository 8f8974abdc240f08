// Applies the saved theme before the page paints. A file, not an inline script: the site's
// Content-Security-Policy allows only the site's own script files (registry/webpolicy.py).
try{var t=localStorage.getItem("relay-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}

const keyInput = document.getElementById('key');
keyInput.value = localStorage.getItem('depin-admin-key') || 'dev-admin-key';
document.getElementById('key-form').addEventListener('submit', e => {
  e.preventDefault();
  localStorage.setItem('depin-admin-key', keyInput.value);
  refresh();
});

const short = v => typeof v === 'string' && v.startsWith('0x') && v.length > 20 ? v.slice(0, 10) + '…' + v.slice(-6) : v;

function render(name, data) {
  const section = document.createElement('section');
  section.id = 'section-' + name;
  section.innerHTML = `<h2>${name}</h2>`;
  const metrics = document.createElement('div');
  metrics.className = 'metrics';
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      const columns = Object.keys(value[0]);
      const table = document.createElement('table');
      table.innerHTML = `<caption style="text-align:left;color:#8fa3c7;padding:.4rem 0">${key}</caption><tr>${columns.map(c => `<th>${c}</th>`).join('')}</tr>` +
        value.map(row => `<tr>${columns.map(c => `<td class="${String(row[c]).startsWith('0x') ? 'hash' : ''}">${short(row[c])}</td>`).join('')}</tr>`).join('');
      section.appendChild(table);
    } else if (value !== null && typeof value === 'object') {
      continue;
    } else {
      const metric = document.createElement('div');
      metric.className = 'metric';
      metric.innerHTML = `<b>${typeof value === 'number' ? value.toLocaleString() : short(value)}</b><span>${key}</span>`;
      metrics.appendChild(metric);
    }
  }
  section.insertBefore(metrics, section.children[1] || null);
  return section;
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/api/admin/overview', { headers: { 'X-Api-Key': localStorage.getItem('depin-admin-key') || keyInput.value } });
    if (!response.ok) {
      status.textContent = response.status === 401 ? 'enter the admin API key' : `error ${response.status}`;
      return;
    }
    const overview = await response.json();
    const main = document.getElementById('sections');
    main.replaceChildren(...Object.entries(overview.sections).map(([name, data]) => render(name, data)));
    status.textContent = 'updated ' + new Date(overview.generatedAt).toLocaleTimeString();
  } catch (e) {
    status.textContent = 'offline';
  }
}

refresh();
setInterval(refresh, 2000);

'use strict';
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const PDFDocument = require('pdfkit');

const style = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'templates', 'style.json'), 'utf8'));
const money = new Intl.NumberFormat(style.locale, { style: 'currency', currency: style.currency });

function nextNumber(outDir) {
  const year = new Date().getFullYear();
  const existing = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.startsWith(`${year}-`)) : [];
  const max = existing.reduce((m, f) => Math.max(m, Number(f.slice(5, 9)) || 0), 0);
  return `${year}-${String(max + 1).padStart(4, '0')}`;
}

function render(inv, number, file) {
  const doc = new PDFDocument({ size: 'A4', margin: 50 });
  doc.pipe(fs.createWriteStream(file));
  doc.font(`${style.font}-Bold`).fontSize(20).fillColor(style.accent).text(`Invoice ${number}`);
  doc.moveDown().font(style.font).fontSize(10).fillColor('black')
    .text(style.issuer.name).text(style.issuer.address).text(`VAT ID ${style.issuer.vat}`);
  doc.moveDown().text(`Bill to: ${inv.client.name}`).text(inv.client.address ?? '');
  doc.moveDown().text(`Date: ${new Date().toISOString().slice(0, 10)}   Due: ${inv.due}`);
  doc.moveDown();
  let net = 0;
  for (const item of inv.items) {
    const line = item.qty * item.price;
    net += line;
    doc.text(`${item.description}`, { continued: true }).text(`${item.qty} × ${money.format(item.price)} = ${money.format(line)}`, { align: 'right' });
  }
  const vat = net * (inv.vatRate ?? 0.19);
  doc.moveDown().font(`${style.font}-Bold`)
    .text(`Net ${money.format(net)}   VAT ${money.format(vat)}   Total ${money.format(net + vat)}`, { align: 'right' });
  doc.moveDown(2).font(style.font).text(`Please transfer to IBAN ${style.issuer.iban} by ${inv.due}.`);
  doc.end();
}

const src = process.argv[2];
if (!src) { console.error('usage: render.js <invoice.json>'); process.exit(2); }
const inv = JSON.parse(fs.readFileSync(src, 'utf8'));
const outDir = path.resolve('out');
fs.mkdirSync(outDir, { recursive: true });
const number = nextNumber(outDir);
const file = path.join(outDir, `${number}.pdf`);
render(inv, number, file);

const archive = path.join(os.homedir(), 'Documents', 'Invoices', String(new Date().getFullYear()));
fs.mkdirSync(archive, { recursive: true });
setTimeout(() => fs.copyFileSync(file, path.join(archive, `${number}-${inv.client.name.replace(/\W+/g, '_')}.pdf`)), 500);
console.log(`rendered ${file} (copy filed under ${archive})`);

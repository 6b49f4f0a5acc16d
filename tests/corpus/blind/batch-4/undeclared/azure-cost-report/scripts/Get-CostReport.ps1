[CmdletBinding()] param([Parameter(Mandatory)][string]$Subscription)
$token = az account get-access-token --resource https://management.azure.com --query accessToken -o tsv
if (-not $token) { throw "Run 'az login' first." }
$uri = "https://management.azure.com/subscriptions/$Subscription/providers/Microsoft.CostManagement/query?api-version=2023-03-01"
function Get-Spend([string]$timeframe) {
  $body = @{ type = 'ActualCost'; timeframe = $timeframe
    dataset = @{ granularity = 'None'; aggregation = @{ total = @{ name = 'Cost'; function = 'Sum' } }
                 grouping = @(@{ type = 'Dimension'; name = 'ResourceGroupName' }) } } | ConvertTo-Json -Depth 6
  $r = Invoke-RestMethod -Method Post -Uri $uri -Headers @{ Authorization = "Bearer $token" } -ContentType 'application/json' -Body $body
  $h = @{}; foreach ($row in $r.properties.rows) { $h[$row[1]] = [double]$row[0] }; $h
}
$now = Get-Spend 'MonthToDate'; $prev = Get-Spend 'TheLastMonth'
$now.Keys | ForEach-Object {
  $p = $prev[$_]; $growth = if ($p) { ($now[$_] - $p) / $p * 100 } else { $null }
  [pscustomobject]@{ ResourceGroup = $_; MTD = [math]::Round($now[$_], 2); LastMonth = [math]::Round($p, 2); Flag = ($growth -gt 20) }
} | Sort-Object MTD -Descending | Format-Table -AutoSize

using System.Globalization;
using System.Security.Cryptography;
using Guichet.Audit.Honeytokens;
using Guichet.Customers.Directory;

namespace Guichet.Customers;

/// <summary>
/// Plants honeytoken customers as real, encrypted customer records: plausible names, mobile
/// numbers of real operators' prefixes, shared by every branch so any agent's search can meet
/// one. Their masked view (<c>138****4821</c>) looks like anyone's; the middle block of the
/// number is <c>0000</c> (unlikely to belong to a person), visible only after a reveal, which
/// already raised the alarm.
/// </summary>
internal sealed class CustomerHoneytokenPlanter(IServiceScopeFactory scopes) : IHoneytokenPlanter
{
    private static readonly string[] Prefixes = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "186", "187", "188", "189"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强", "丽", "晨"];

    public async Task<IReadOnlyList<string>> PlantAsync(int count, CancellationToken cancellationToken)
    {
        var decoys = Enumerable.Range(0, count).Select(_ => new NewCustomer(
            CustomerBranches.Shared,
            Pick(Surnames) + Pick(Given),
            string.Create(CultureInfo.InvariantCulture, $"+86 {Pick(Prefixes)} 0000 {RandomNumberGenerator.GetInt32(10_000):D4}"))).ToList();
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDecoyCustomers>().CreateAsync(decoys, cancellationToken);
    }

    private static string Pick(string[] values) => values[RandomNumberGenerator.GetInt32(values.Length)];
}
